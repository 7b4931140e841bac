"""Properties of the repository itself: shared codes, migrations and deployment files stay consistent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import service_catalog.models  # noqa: F401 - registers the tables
from service_catalog.config import REPO_ROOT

SHARED_TAXONOMY = REPO_ROOT.parent / "shared" / "design" / "taxonomy.yml"


def _codes(path: Path) -> tuple[set[str], set[str], set[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return set(data["doors"]), set(data["needs"]["urgent"]) | set(data["needs"]["other"]), set(data["urgency"])


@pytest.mark.skipif(not SHARED_TAXONOMY.exists(), reason="the design folder is not next to this checkout")
def test_taxonomy_copy_keeps_every_shared_code() -> None:
    ours, shared = _codes(REPO_ROOT / "data" / "taxonomy.yml"), _codes(SHARED_TAXONOMY)
    for mine, theirs in zip(ours, shared, strict=True):
        assert theirs <= mine


def test_migrations_create_exactly_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_compose_pins_images_and_checks_health() -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    for name, service in compose["services"].items():
        image = service.get("image")
        if image:
            assert ":" in image and not image.endswith(":latest"), name
        assert "healthcheck" in service, name
        assert service.get("restart") == "unless-stopped", name


def test_git_ignores_databases_models_and_environments() -> None:
    ignored = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for entry in (".venv/", "var/", "*.db", "/models/", "tests/artifacts/"):
        assert entry in ignored
