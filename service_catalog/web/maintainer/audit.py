"""The audit log page: every change in the maintainer's kommuner, from these pages, the API and imports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response

from service_catalog import catalog
from service_catalog.auth import visible_kommuner
from service_catalog.deps import SessionDep, SettingsDep
from service_catalog.models import AuditEntry
from service_catalog.web.maintainer.forms import changed_fields
from service_catalog.web.maintainer.rendering import PageRoute, municipality_names, render
from service_catalog.web.maintainer.session import SignedInDep

router = APIRouter(route_class=PageRoute)

PAGE_SIZE = 25
ACTIONS = {
    "service.create": "Ny tjeneste",
    "service.update": "Endret tjeneste",
    "service.verify": "Kontrollert",
    "service.deactivate": "Deaktivert",
    "service.restore": "Gjenopprettet",
    "routing.create": "Ny rutingsregel",
    "routing.update": "Endret rutingsregel",
    "routing.delete": "Slettet rutingsregel",
    "routing.replace": "Ny rutetabell",
    "absent_doors.replace": "Endret dører kommunen mangler",
    "import.create": "Import: ny tjeneste",
    "import.update": "Import: endret tjeneste",
    "import.deactivate": "Import: deaktivert",
    "import.restore": "Import: gjenopprettet",
    "import.routing": "Import: rutetabell",
    "import.absent_doors": "Import: dører kommunen mangler",
    "lab_case.create": "Nytt testtilfelle",
    "lab_case.delete": "Slettet testtilfelle",
    "shared_message.to_lab_case": "Delt melding gjort til testtilfelle",
    "shared_message.delete": "Slettet delt melding",
}


@router.get("/audit")
def audit_log(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    who: SignedInDep,
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Who changed what and when, newest first, with each changed field before and after."""
    kommuner = visible_kommuner(session, who.maintainer, None)
    entries, count = catalog.audit_entries(session, kommuner=kommuner, limit=PAGE_SIZE, offset=(side - 1) * PAGE_SIZE)
    zone = ZoneInfo(settings.timezone)
    rows = [_row(entry, zone) for entry in entries]
    pages = max(1, -(-count // PAGE_SIZE))
    return render(
        request,
        "audit.html",
        who,
        rows=rows,
        count=count,
        side=side,
        pages=pages,
        names=municipality_names(session),
    )


def _row(entry: AuditEntry, zone: ZoneInfo) -> dict[str, Any]:
    moment = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=ZoneInfo("UTC"))
    subject = (entry.after or entry.before or {}).get("name") or (entry.after or entry.before or {}).get("need")
    return {
        "id": entry.id,
        "at": moment.astimezone(zone),
        "at_text": _when(moment.astimezone(zone)),
        "actor": entry.actor,
        "action": ACTIONS.get(entry.action, entry.action),
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "subject": subject or entry.entity_id,
        "kommune": entry.kommunenummer,
        "changes": list(changed_fields(entry.before, entry.after)),
    }


def _when(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y kl. %H:%M")
