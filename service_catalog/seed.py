"""First-use data: the municipality list and the shipped catalogue files (national and example).

Seeding never overwrites a maintainer's work: a catalogue file is loaded only while its scope has no
services yet, unless ``force`` is given.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from service_catalog.config import Settings
from service_catalog.importer import apply_import
from service_catalog.interchange import parse_yaml
from service_catalog.models import Municipality, RoutingRule, Service
from service_catalog.municipalities import read_municipality_file

log = logging.getLogger("veiviser.seed")
SEED_ACTOR = "seed"


@dataclass
class SeedReport:
    municipalities_added: int = 0
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)


def load_municipalities(session: Session, path: Path) -> int:
    """Add municipalities from the shipped list that the database lacks; return how many were added."""
    known = set(session.exec(select(Municipality.kommunenummer)).all())
    added = 0
    for row in read_municipality_file(path):
        if row.kommunenummer not in known:
            session.add(row)
            added += 1
    session.flush()
    return added


def _scope_is_empty(session: Session, kommune: str | None, has_services: bool) -> bool:
    if has_services:
        owner = col(Service.kommunenummer).is_(None) if kommune is None else Service.kommunenummer == kommune
        return session.exec(select(Service.id).where(owner).limit(1)).first() is None
    owner = col(RoutingRule.kommunenummer).is_(None) if kommune is None else RoutingRule.kommunenummer == kommune
    return session.exec(select(RoutingRule.id).where(owner).limit(1)).first() is None


def seed(session: Session, settings: Settings, *, force: bool = False) -> SeedReport:
    """Load the municipality list and every seed catalogue file whose scope is still empty; commit."""
    report = SeedReport(municipalities_added=load_municipalities(session, settings.municipalities_path))
    for path in settings.seed_files:
        document = parse_yaml(path.read_text(encoding="utf-8"), source_name=path.name)
        if not force and not _scope_is_empty(session, document.kommune, bool(document.services)):
            report.files_skipped.append(path.name)
            continue
        apply_import(session, document, actor=SEED_ACTOR)
        report.files_loaded.append(path.name)
    session.commit()
    return report
