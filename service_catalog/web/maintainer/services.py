"""Service pages: the list, the edit and create forms, deactivate/restore, and the not-verified list."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from service_catalog import catalog, maintenance
from service_catalog.auth import visible_kommuner
from service_catalog.deps import ItemId, SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import CatalogError, Conflict, NotYourChat
from service_catalog.models import Maintainer, Municipality, Service
from service_catalog.models.service import Cost, ServiceIn, ServiceUpdate
from service_catalog.vocabulary import Scope, Vocabulary
from service_catalog.web.maintainer.forms import (
    DAY_NAMES,
    EMPTY_CLOSED_ROWS,
    RANGES_PER_DAY,
    FormErrors,
    field_errors,
    read_service,
    service_values,
    typed_values,
)
from service_catalog.web.maintainer.rendering import (
    NATIONAL,
    PageRoute,
    chosen_scope,
    municipality_names,
    redirect,
    render,
    scope_options,
    scope_value,
)
from service_catalog.web.maintainer.session import CheckedForm, SignedIn, SignedInDep

router = APIRouter(route_class=PageRoute)

PAGE_SIZE = 25
COST_LABELS = {Cost.free: "Gratis", Cost.partly_free: "Delvis gratis", Cost.paid: "Koster penger"}
SCOPE_LABELS = {Scope.municipal: "Kommunal", Scope.regional: "Regional", Scope.national: "Nasjonal"}
STATES = {"aktive": True, "inaktive": False, "alle": None}
FIELD_LABELS = {
    "key": "Nøkkel",
    "name": "Navn",
    "description": "Beskrivelse",
    "door": "Dør",
    "scope": "Omfang",
    "covers": "Dekker kommunene",
    "phone": "Telefon",
    "sms": "SMS",
    "chat_url": "Chat-adresse",
    "url": "Nettside",
    "email": "E-post",
    "street": "Gateadresse",
    "postal_code": "Postnummer",
    "city": "Poststed",
    "hours": "Åpningstider",
    "age_min": "Alder fra",
    "age_max": "Alder til",
    "cost": "Kostnad",
    "cost_note": "Om kostnaden",
    "languages": "Språk",
    "source": "Kilde",
    "last_verified": "Sist kontrollert",
    "form": "Skjemaet",
    **{f"hours-{day}": name for day, name in DAY_NAMES.items()},
}


@router.get("/services")
def service_list(
    *,
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    kommune: Annotated[str, Query(max_length=20)] = "",
    door: Annotated[str, Query(max_length=40)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    status: Annotated[str, Query(max_length=10)] = "aktive",
    side: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """The services the maintainer edits, filtered and paged."""
    maintainer = who.maintainer
    national = kommune == NATIONAL
    if national:
        chosen_scope(session, maintainer, NATIONAL)
        kommuner: list[str] | None = []
    else:
        kommuner = visible_kommuner(session, maintainer, kommune or None)
    services, count = catalog.list_services(
        session,
        kommuner=kommuner,
        national=national,
        door=door or None,
        q=q.strip() or None,
        active=STATES.get(status, True),
        limit=PAGE_SIZE,
        offset=(side - 1) * PAGE_SIZE,
    )
    filters = {"kommune": kommune, "door": door, "q": q, "status": status}
    pages = max(1, -(-count // PAGE_SIZE))
    # Regional services of other catalogues that show in these kommuners' chat: shown, never editable here.
    reaching = catalog.regional_services_reaching(session, kommuner) if kommuner else []
    return render(
        request,
        "services.html",
        who,
        services=services,
        reaching=reaching,
        count=count,
        filters=filters,
        side=side,
        pages=pages,
        previous=_page_link(filters, side - 1) if side > 1 else None,
        next=_page_link(filters, side + 1) if side < pages else None,
        options=scope_options(session, maintainer),
        doors=vocabulary.doors,
        names=municipality_names(session),
    )


def _page_link(filters: dict[str, str], side: int) -> str:
    return "/admin/services?" + urlencode({**{k: v for k, v in filters.items() if v}, "side": side})


# ---------------------------------------------------------------- create and edit


@router.get("/services/new")
def new_form(
    *,
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    kommune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """An empty form for a new service in one of the maintainer's catalogues."""
    scope = chosen_scope(session, who.maintainer, kommune or None)
    values = service_values(None)
    values["target"] = scope_value(scope)
    if scope is None:
        values["scope"] = Scope.national.value
    return _form_page(request, session, vocabulary, who, values, FormErrors())


@router.post("/services/new")
def create_service(
    *, request: Request, session: SessionDep, vocabulary: VocabularyDep, who: SignedInDep, form: CheckedForm
) -> Response:
    """Create a service from the form, in the catalogue chosen (checked against the maintainer's scope)."""
    target = str(form.get("target", ""))
    scope = chosen_scope(session, who.maintainer, target or None)
    values = {**typed_values(form), "target": scope_value(scope)}
    errors = FormErrors()
    data, rows = read_service(values, errors)
    data["example"] = _example(session, scope)
    service: Service | None = None
    if not errors:
        try:
            service = maintenance.create_service(session, who.maintainer, scope, ServiceIn.model_validate(data))
        except ValidationError as invalid:
            field_errors(invalid, errors, closed_rows=rows)
        except CatalogError as refused:
            _refusal(refused, errors)
    if service is None:
        return _form_page(request, session, vocabulary, who, values, errors, status=422)
    return redirect(f"/services/{service.id}", "opprettet")


@router.get("/services/{service_id}")
def edit_form(
    *, request: Request, session: SessionDep, vocabulary: VocabularyDep, who: SignedInDep, service_id: ItemId
) -> Response:
    """The edit form of one service."""
    service = maintenance.service_for_edit(session, who.maintainer, service_id)
    values = service_values(catalog.service_to_in(service))
    return _form_page(request, session, vocabulary, who, values, FormErrors(), service=service)


@router.post("/services/{service_id}")
def save_service(
    *,
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    form: CheckedForm,
    service_id: ItemId,
) -> Response:
    """Save the edit form: every field is checked by the catalogue's own models before anything is written."""
    service = maintenance.service_for_edit(session, who.maintainer, service_id)
    values = typed_values(form)
    errors = FormErrors()
    data, rows = read_service(values, errors)
    data.pop("key")
    if not errors:
        try:
            maintenance.update_service(session, who.maintainer, service, ServiceUpdate.model_validate(data))
        except ValidationError as invalid:
            field_errors(invalid, errors, closed_rows=rows)
        except CatalogError as refused:
            _refusal(refused, errors)
    if errors:
        return _form_page(request, session, vocabulary, who, values, errors, service=service, status=422)
    return redirect(f"/services/{service_id}", "lagret")


def _example(session: Session, scope: str | None) -> bool:
    # Entries of an invented municipality are invented too (and may use the fictional phone block).
    municipality = session.get(Municipality, scope) if scope else None
    return bool(municipality and municipality.example)


def _refusal(refused: CatalogError, errors: FormErrors) -> None:
    if isinstance(refused, Conflict):
        errors.add("key", "Det finnes allerede en tjeneste med denne nøkkelen. Velg en annen.")
    elif isinstance(refused, NotYourChat):
        errors.add(
            "covers",
            "Du kan bare legge tjenesten inn i chatten til kommuner du har ansvar for "
            f"({', '.join(refused.kommuner)} er ikke din). Be forvalteren der, eller en nasjonal forvalter, om det.",
        )
    elif refused.message.startswith("covers:"):
        errors.add("covers", "Ett eller flere av kommunenumrene finnes ikke i kommunelisten.")
    else:
        errors.add(
            "scope",
            "Omfanget passer ikke til katalogen: en nasjonal tjeneste hører til den nasjonale katalogen, "
            "kommunale og regionale tjenester til en kommune.",
        )


def _form_page(
    request: Request,
    session: Session,
    vocabulary: Vocabulary,
    who: SignedIn,
    values: dict[str, Any],
    errors: FormErrors,
    *,
    service: Service | None = None,
    status: int = 200,
) -> Response:
    closed = list(values.get("closed", []))
    closed += [{"date": "", "note": ""}] * EMPTY_CLOSED_ROWS
    scopes = [s for s in Scope if s is not Scope.national or who.maintainer.is_national]
    return render(
        request,
        "service_form.html",
        who,
        status=status,
        service=service,
        values=values,
        closed=closed,
        errors=errors.by_field,
        labels=FIELD_LABELS,
        doors=vocabulary.doors,
        days=DAY_NAMES,
        ranges=range(RANGES_PER_DAY),
        costs=COST_LABELS,
        scopes={s.value: SCOPE_LABELS[s] for s in scopes},
        options=scope_options(session, who.maintainer),
        names=municipality_names(session) if service is not None else {},
    )


# ---------------------------------------------------------------- state and verification


@router.post("/services/{service_id}/deactivate")
def deactivate(*, session: SessionDep, who: SignedInDep, form: CheckedForm, service_id: ItemId) -> Response:
    """Take the service out of the chat's answers (restore brings it back)."""
    _set_active(session, who.maintainer, service_id, active=False)
    return redirect(f"/services/{service_id}", "deaktivert")


@router.post("/services/{service_id}/restore")
def restore(*, session: SessionDep, who: SignedInDep, form: CheckedForm, service_id: ItemId) -> Response:
    """Bring a deactivated service back."""
    _set_active(session, who.maintainer, service_id, active=True)
    return redirect(f"/services/{service_id}", "gjenopprettet")


def _set_active(session: Session, maintainer: Maintainer, service_id: int, *, active: bool) -> None:
    maintenance.set_active(
        session, maintainer, maintenance.service_for_edit(session, maintainer, service_id), active=active
    )


@router.post("/services/{service_id}/verify")
def verify(
    *, session: SessionDep, settings: SettingsDep, who: SignedInDep, form: CheckedForm, service_id: ItemId
) -> Response:
    """Record that the facts were checked today, optionally from a new source."""
    service = maintenance.service_for_edit(session, who.maintainer, service_id)
    source = str(form.get("source", "")).strip() or None
    back = "/unverified" if form.get("back") == "unverified" else f"/services/{service_id}"
    try:
        maintenance.verify_service(session, who.maintainer, service, on=maintenance.today(settings), source=source)
    except ValidationError:
        return redirect(back, "kilde-ugyldig")
    return redirect(back, "kontrollert")


@router.get("/unverified")
def unverified(*, request: Request, session: SessionDep, settings: SettingsDep, who: SignedInDep) -> Response:
    """Active services nobody has checked for ``unverified_after_days`` days, oldest first."""
    kommuner = visible_kommuner(session, who.maintainer, None)
    services = maintenance.unverified(session, settings, kommuner)
    return render(
        request,
        "unverified.html",
        who,
        services=services,
        days=settings.unverified_after_days,
        names=municipality_names(session),
    )
