"""The feedback page: "Var dette til hjelp?" counts, shared messages and the routing lab's test cases.

Counts carry no kommune and no personal data, so every maintainer sees all of them. Shared messages carry
no kommune either, so they cannot be scoped to one: only national maintainers see them, turn them into
test cases or delete them, and only they see and download the test cases. Loading the page deletes shared
messages and test cases past their retention time, as ``veiviser feedback prune`` does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from service_catalog import feedback
from service_catalog.deps import ItemId, SessionDep, SettingsDep, VocabularyDep
from service_catalog.errors import Forbidden, NotFound
from service_catalog.lab_cases import to_tsv
from service_catalog.models import LabCase, SharedMessage
from service_catalog.web.maintainer.rendering import PageRoute, redirect, render
from service_catalog.web.maintainer.session import CheckedForm, SignedIn, SignedInDep

router = APIRouter(route_class=PageRoute)

NOTICES = {
    "testtilfelle": "Meldingen er gjort til et testtilfelle og slettet fra de delte meldingene.",
    "melding-slettet": "Meldingen er slettet.",
    "testtilfelle-slettet": "Testtilfellet er slettet.",
}
TSV_NAME = "veiviser-testtilfeller.tsv"


def _national(who: SignedIn) -> None:
    if not who.maintainer.is_national:
        raise Forbidden("shared messages and test cases are for national maintainers")


@router.get("/feedback")
def feedback_page(
    *,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    vocabulary: VocabularyDep,
    who: SignedInDep,
    melding: Annotated[str, Query(max_length=30)] = "",
) -> Response:
    """Counts per need and door for the last 30 days and all time; shared messages and cases for national."""
    feedback.prune(session, settings)
    national = who.maintainer.is_national
    since = feedback.today(settings) - timedelta(days=feedback.RECENT_DAYS - 1)
    return render(
        request,
        "feedback.html",
        who,
        notice=NOTICES.get(melding),
        periods=[
            ("siste-30", f"Siste {feedback.RECENT_DAYS} dager", feedback.counts(session, since=since)),
            ("alt", "Hele tiden", feedback.counts(session)),
        ],
        national=national,
        messages=feedback.shared_messages(session) if national else [],
        cases=feedback.lab_cases(session) if national else [],
        retention_days=settings.shared_message_days,
        case_retention_days=settings.lab_case_days,
        doors=vocabulary.doors,
    )


def _message(session: SessionDep, message_id: int) -> SharedMessage:
    message = session.get(SharedMessage, message_id)
    if message is None:
        raise NotFound("no such shared message")
    return message


@router.post("/feedback/shared/{message_id}/testcase")
def make_test_case(*, session: SessionDep, who: SignedInDep, form: CheckedForm, message_id: ItemId) -> Response:
    """Turn a shared message into a lab test case, and delete the message."""
    _national(who)
    feedback.make_lab_case(session, _message(session, message_id), actor=who.maintainer.username)
    return redirect("/feedback", melding="testtilfelle")


@router.post("/feedback/shared/{message_id}/delete")
def delete_message(*, session: SessionDep, who: SignedInDep, form: CheckedForm, message_id: ItemId) -> Response:
    """Delete a shared message."""
    _national(who)
    feedback.delete_shared_message(session, _message(session, message_id), actor=who.maintainer.username)
    return redirect("/feedback", melding="melding-slettet")


@router.post("/feedback/testcases/{case_id}/delete")
def delete_case(*, session: SessionDep, who: SignedInDep, form: CheckedForm, case_id: ItemId) -> Response:
    """Delete a lab test case."""
    _national(who)
    case = session.get(LabCase, case_id)
    if case is None:
        raise NotFound("no such test case")
    feedback.delete_lab_case(session, case, actor=who.maintainer.username)
    return redirect("/feedback", melding="testtilfelle-slettet")


@router.get("/feedback/testcases.tsv")
def download_cases(*, session: SessionDep, who: SignedInDep) -> Response:
    """Every test case as TSV in the shared test-set format."""
    _national(who)
    content = to_tsv(feedback.case_rows(feedback.lab_cases(session)))
    headers = {"Content-Disposition": f'attachment; filename="{TSV_NAME}"'}
    return Response(content=content, media_type="text/tab-separated-values; charset=utf-8", headers=headers)
