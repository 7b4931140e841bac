"""Routing table pages: a scope's rules (need -> ordered doors), with add, edit and delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from service_catalog import catalog, maintenance
from service_catalog.deps import ItemId, SessionDep, VocabularyDep
from service_catalog.errors import CatalogError, Conflict
from service_catalog.models import RoutingRule
from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.vocabulary import Urgency, Vocabulary
from service_catalog.web.maintainer.forms import (
    MAX_RULE_DOORS,
    FormErrors,
    field_errors,
    read_rule,
    rule_values,
    typed_rule,
)
from service_catalog.web.maintainer.rendering import (
    PageRoute,
    chosen_scope,
    redirect,
    render,
    scope_options,
    scope_value,
)
from service_catalog.web.maintainer.session import CheckedForm, SignedIn, SignedInDep

router = APIRouter(route_class=PageRoute)

URGENCY_LABELS = {
    Urgency.akutt: "Akutt (nå)",
    Urgency.haster: "Haster (i dag)",
    Urgency.snart: "Snart (denne uka)",
    Urgency.info: "Informasjon",
}
FIELD_LABELS = {
    "need": "Behov",
    "urgency": "Hastegrad",
    "doors": "Dører i rekkefølge",
    "age_min": "Alder fra",
    "age_max": "Alder til",
    "note": "Begrunnelse",
    "form": "Skjemaet",
}


@router.get("/routing")
def rule_list(
    *,
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    kommune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The routing rules of one scope the maintainer edits."""
    scope = chosen_scope(session, who.maintainer, kommune or None)
    return render(
        request,
        "routing.html",
        who,
        rules=catalog.scope_rules(session, scope),
        scope=scope_value(scope),
        options=scope_options(session, who.maintainer),
        door_labels=dict(door_choices(session, vocabulary, scope)),
        urgencies=URGENCY_LABELS,
    )


@router.get("/routing/new")
def new_rule_form(
    *,
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    kommune: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """An empty rule form for one scope."""
    scope = chosen_scope(session, who.maintainer, kommune or None)
    return _form_page(request, session, vocabulary, who, rule_values(None), FormErrors(), scope=scope_value(scope))


@router.post("/routing/new")
def create_rule(
    *, request: Request, session: SessionDep, vocabulary: VocabularyDep, who: SignedInDep, form: CheckedForm
) -> Response:
    """Add a rule, with the API's checks (no specialist door first, one rule per need and age band)."""
    scope = chosen_scope(session, who.maintainer, str(form.get("target", "")) or None)
    values = typed_rule(form)
    errors = FormErrors()
    try:
        maintenance.create_rule(
            session, who.maintainer, vocabulary, scope, RoutingRuleIn.model_validate(read_rule(values))
        )
    except ValidationError as invalid:
        field_errors(invalid, errors)
    except CatalogError as refused:
        _refusal(refused, errors)
    if errors:
        return _form_page(request, session, vocabulary, who, values, errors, scope=scope_value(scope), status=422)
    return redirect("/routing", "regel-lagret", kommune=scope_value(scope))


@router.get("/routing/{rule_id}")
def edit_rule_form(
    *, request: Request, session: SessionDep, vocabulary: VocabularyDep, who: SignedInDep, rule_id: ItemId
) -> Response:
    """The edit form of one rule."""
    rule = maintenance.rule_for_edit(session, who.maintainer, rule_id)
    values = rule_values(catalog.rule_data(rule))
    return _form_page(
        request, session, vocabulary, who, values, FormErrors(), scope=scope_value(rule.kommunenummer), rule=rule
    )


@router.post("/routing/{rule_id}")
def save_rule(
    *,
    request: Request,
    session: SessionDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    form: CheckedForm,
    rule_id: ItemId,
) -> Response:
    """Save a rule; the whole rule is checked again before anything is written."""
    rule = maintenance.rule_for_edit(session, who.maintainer, rule_id)
    scope = scope_value(rule.kommunenummer)
    values = typed_rule(form)
    errors = FormErrors()
    try:
        maintenance.update_rule(session, who.maintainer, vocabulary, rule, read_rule(values))
    except ValidationError as invalid:
        field_errors(invalid, errors)
    except CatalogError as refused:
        _refusal(refused, errors)
    if errors:
        return _form_page(request, session, vocabulary, who, values, errors, scope=scope, rule=rule, status=422)
    return redirect("/routing", "regel-lagret", kommune=scope)


@router.post("/routing/{rule_id}/delete")
def delete_rule(*, session: SessionDep, who: SignedInDep, form: CheckedForm, rule_id: ItemId) -> Response:
    """Remove a rule (in a kommune, the national rule applies again)."""
    rule = maintenance.rule_for_edit(session, who.maintainer, rule_id)
    scope = scope_value(rule.kommunenummer)
    maintenance.delete_rule(session, who.maintainer, rule)
    return redirect("/routing", "regel-slettet", kommune=scope)


def door_choices(session: Session, vocabulary: Vocabulary, scope: str | None) -> list[tuple[str, str]]:
    """What a rule's door can be: each door code, and after it each single service of a door with several."""
    services = catalog.services_for_doors(session, list(vocabulary.doors), scope)
    choices = []
    for code, door in vocabulary.doors.items():
        choices.append((code, door.label))
        mine = [s for s in services if s.door == code and s.active]
        if len(mine) > 1:
            choices += [(f"{code}:{s.key}", f"{door.label}: bare {s.name}") for s in mine]
    return choices


def _refusal(refused: CatalogError, errors: FormErrors) -> None:
    if isinstance(refused, Conflict):
        errors.add("need", "Det finnes allerede en regel for dette behovet med samme aldersgruppe. Endre den i stedet.")
    elif "names no" in refused.message:
        errors.add("doors", "En av dørene peker på en tjeneste som ikke finnes her lenger. Velg døren på nytt.")
    else:
        errors.add(
            "doors",
            "Første dør kan ikke være en spesialisttjeneste som krever henvisning (som BUP eller Statens "
            "barnehus). Sett en førstelinjedør, som helsesykepleier eller fastlege, først.",
        )


def _form_page(
    request: Request,
    session: Session,
    vocabulary: Vocabulary,
    who: SignedIn,
    values: dict[str, Any],
    errors: FormErrors,
    *,
    scope: str,
    rule: RoutingRule | None = None,
    status: int = 200,
) -> Response:
    doors = list(values["doors"]) + [""] * (MAX_RULE_DOORS - len(values["doors"]))
    return render(
        request,
        "rule_form.html",
        who,
        status=status,
        rule=rule,
        values=values,
        door_slots=doors[:MAX_RULE_DOORS],
        errors=errors.by_field,
        labels=FIELD_LABELS,
        scope=scope,
        door_choices=door_choices(session, vocabulary, scope or None),
        needs=vocabulary.needs,
        urgencies=URGENCY_LABELS,
    )
