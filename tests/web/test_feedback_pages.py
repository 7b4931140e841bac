"""The feedback page under /admin: counts for every maintainer, shared messages and test cases for national ones.

Real database, real HTTP (in-process), one behaviour each; forms are posted the way a browser would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from factories import make_maintainer
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from test_maintainer_pages import csrf, login

from service_catalog.config import get_settings
from service_catalog.feedback import today
from service_catalog.lab_cases import CaseRow, parse_tsv
from service_catalog.models import AuditEntry, LabCase, SharedMessage
from service_catalog.vocabulary import get_vocabulary

ANSWER = {"need": "ensomhet", "doors": ["helsesykepleier", "ung_no"], "helpful": True}


@pytest.fixture
def nina(client: TestClient, session: Session) -> TestClient:
    """The client, logged in as a national maintainer."""
    make_maintainer(session, username="nina.nasjonal", municipalities=[], national=True)
    assert login(client, "nina.nasjonal").status_code == 303
    return client


@pytest.fixture
def kari(client: TestClient, session: Session) -> TestClient:
    """The client, logged in as a maintainer of 9999 only."""
    make_maintainer(session, username="kari.side", municipalities=["9999"])
    assert login(client, "kari.side").status_code == 303
    return client


def _shared(session: Session, text: str = "jeg føler meg alene [navn]", helpful: bool = True) -> SharedMessage:
    message = SharedMessage(
        day=today(get_settings()), text=text, need="ensomhet", doors=["helsesykepleier", "ung_no"], helpful=helpful
    )
    session.add(message)
    session.commit()
    return message


def _cells(html: str, table: str, code: str) -> tuple[int, int]:
    body = html[html.index(f'id="{table}"') :]
    row = re.search(rf'<tr data-code="{code}">.*?<td data-yes>(\d+)</td>\s*<td data-no>(\d+)</td>', body, re.S)
    assert row, f"no row for {code} in {table}"
    return int(row.group(1)), int(row.group(2))


def test_counts_per_need_and_door_are_shown_for_30_days_and_all_time(kari: TestClient) -> None:
    before = kari.get("/admin/feedback").text
    yes, no = _cells(before, "needs-alt", "ensomhet") if 'data-code="ensomhet"' in before else (0, 0)
    kari.post("/api/v1/feedback", json=ANSWER)
    kari.post("/api/v1/feedback", json=ANSWER)
    kari.post("/api/v1/feedback", json={**ANSWER, "helpful": False})
    page = kari.get("/admin/feedback")
    assert page.status_code == 200
    assert _cells(page.text, "needs-alt", "ensomhet") == (yes + 2, no + 1)
    assert _cells(page.text, "needs-siste-30", "ensomhet")[0] >= 2
    assert _cells(page.text, "doors-siste-30", "ung_no")[0] >= 2
    assert 'aria-current="page">Tilbakemeldinger' in page.text


def test_shared_messages_are_hidden_from_municipal_maintainers(kari: TestClient, session: Session) -> None:
    message = _shared(session, "en hemmelig delt melding")
    page = kari.get("/admin/feedback")
    assert "en hemmelig delt melding" not in page.text
    assert "Gjør til testtilfelle" not in page.text
    response = kari.post(
        f"/admin/feedback/shared/{message.id}/testcase", data={"csrf_token": csrf(page.text)}, follow_redirects=False
    )
    assert response.status_code == 403
    assert session.get(SharedMessage, message.id) is not None
    assert kari.get("/admin/feedback/testcases.tsv").status_code == 403


def test_shared_messages_are_listed_for_national_maintainers(nina: TestClient, session: Session) -> None:
    _shared(session, "en delt melding om [navn]")
    page = nina.get("/admin/feedback")
    assert "en delt melding om [navn]" in unescape(page.text)
    assert "Gjør til testtilfelle" in page.text


def test_make_test_case_is_one_step_and_deletes_the_message(nina: TestClient, session: Session) -> None:
    message = _shared(session, "jeg har ingen å være med [navn]")
    page = nina.get("/admin/feedback")
    response = nina.post(
        f"/admin/feedback/shared/{message.id}/testcase", data={"csrf_token": csrf(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(SharedMessage, message.id) is None
    case = session.exec(select(LabCase).order_by(col(LabCase.id).desc())).first()
    assert case is not None
    assert (case.text, case.need, case.doors) == (
        "jeg har ingen å være med [navn]",
        "ensomhet",
        ["helsesykepleier", "ung_no"],
    )
    assert (case.urgent, case.kommune, case.age, case.lang, case.created_by) == (
        False,
        None,
        None,
        None,
        "nina.nasjonal",
    )
    actions = {e.action for e in session.exec(select(AuditEntry).where(col(AuditEntry.actor) == "nina.nasjonal"))}
    assert {"lab_case.create", "shared_message.to_lab_case"} <= actions
    moved = session.exec(select(AuditEntry).where(col(AuditEntry.action) == "shared_message.to_lab_case")).first()
    assert moved is not None and "text" not in (moved.before or {})


def test_test_case_from_an_unhelpful_answer_leaves_the_doors_to_the_rule(nina: TestClient, session: Session) -> None:
    message = _shared(session, "ingen av disse passet", helpful=False)
    page = nina.get("/admin/feedback")
    nina.post(f"/admin/feedback/shared/{message.id}/testcase", data={"csrf_token": csrf(page.text)})
    case = session.exec(select(LabCase).where(col(LabCase.text) == "ingen av disse passet")).one()
    assert case.doors == []


def test_delete_shared_message_is_audited_without_its_text(nina: TestClient, session: Session) -> None:
    message = _shared(session, "slett meg")
    page = nina.get("/admin/feedback")
    nina.post(f"/admin/feedback/shared/{message.id}/delete", data={"csrf_token": csrf(page.text)})
    session.expire_all()
    assert session.get(SharedMessage, message.id) is None
    entry = session.exec(select(AuditEntry).where(col(AuditEntry.action) == "shared_message.delete")).one()
    assert "slett meg" not in str(entry.before) and entry.after is None


def test_make_test_case_without_csrf_token_is_403(nina: TestClient, session: Session) -> None:
    message = _shared(session)
    response = nina.post(f"/admin/feedback/shared/{message.id}/testcase", data={}, follow_redirects=False)
    assert response.status_code == 403
    session.expire_all()
    assert session.get(SharedMessage, message.id) is not None


def test_tsv_download_round_trips_through_parse_tsv(nina: TestClient, session: Session) -> None:
    session.add(LabCase(text="jeg gruer meg til skolen", need="skolestress", doors=["helsesykepleier"], created_by="t"))
    session.add(
        LabCase(text="hei", need="none", doors=[], urgent=False, kommune="9999", age=15, lang="nb", created_by="t")
    )
    session.commit()
    response = nina.get("/admin/feedback/testcases.tsv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert "attachment" in response.headers["content-disposition"]
    vocabulary = get_vocabulary()
    cases = parse_tsv(response.text, needs=vocabulary.needs, doors=list(vocabulary.doors))
    assert CaseRow(text="jeg gruer meg til skolen", need="skolestress", doors=("helsesykepleier",)) in cases
    assert CaseRow(text="hei", need="none", kommune="9999", age=15, lang="nb") in cases
    assert response.text.splitlines()[0] == "text\tneed\tdoors\turgent\tkommune\tage\tlang\tnote"


def test_delete_test_case(nina: TestClient, session: Session) -> None:
    case = LabCase(text="fjern meg", need="sorg", doors=[], created_by="t")
    session.add(case)
    session.commit()
    page = nina.get("/admin/feedback")
    assert "fjern meg" in page.text
    nina.post(f"/admin/feedback/testcases/{case.id}/delete", data={"csrf_token": csrf(page.text)})
    session.expire_all()
    assert session.get(LabCase, case.id) is None


def test_loading_the_page_deletes_shared_messages_past_retention(nina: TestClient, session: Session) -> None:
    old = SharedMessage(
        day=today(get_settings()) - timedelta(days=120), text="for gammel", need="sorg", doors=["ung_no"], helpful=True
    )
    session.add(old)
    session.commit()
    page = nina.get("/admin/feedback")
    assert "for gammel" not in page.text
    session.expire_all()
    assert session.get(SharedMessage, old.id) is None


# ---------------------------------------------------------------- no message text in the audit log (issue 13)


def _audited_text(session: Session) -> str:
    """Everything the audit log holds about shared messages and test cases, as one string."""
    entries = session.exec(select(AuditEntry).where(col(AuditEntry.entity).in_(["lab_case", "shared_message"]))).all()
    return " ".join(f"{e.before} {e.after}" for e in entries)


def _press(client: TestClient, session: Session, path: str, action: str) -> AuditEntry:
    """Post a button's form on the feedback page, as a browser does; the audit entry ``action`` it wrote."""
    page = client.get("/admin/feedback")
    client.post(path, data={"csrf_token": csrf(page.text)})
    session.expire_all()
    entry = session.exec(
        select(AuditEntry).where(col(AuditEntry.action) == action).order_by(col(AuditEntry.id).desc())
    ).first()
    assert entry is not None, f"no {action} in the audit log"
    return entry


def test_making_a_test_case_puts_no_message_text_in_the_audit_log(nina: TestClient, session: Session) -> None:
    message = _shared(session, "moren min drikker hver helg og jeg tør ikke si det til noen")

    created = _press(nina, session, f"/admin/feedback/shared/{message.id}/testcase", "lab_case.create")

    assert created.after is not None and created.after["need"] == "ensomhet"
    assert "drikker" not in _audited_text(session)


def test_deleting_a_test_case_puts_no_message_text_in_the_audit_log(nina: TestClient, session: Session) -> None:
    case = LabCase(text="jeg blir mobbet i gymtimen hver uke", need="mobbing", doors=[], created_by="t")
    session.add(case)
    session.commit()

    deleted = _press(nina, session, f"/admin/feedback/testcases/{case.id}/delete", "lab_case.delete")

    assert deleted.before is not None and deleted.before["need"] == "mobbing"
    assert "gymtimen" not in _audited_text(session)


# ---------------------------------------------------------------- retention of test cases (issue 13)


def test_loading_the_page_deletes_test_cases_past_their_retention(nina: TestClient, session: Session) -> None:
    days = get_settings().lab_case_days
    old = LabCase(
        text="for gammelt testtilfelle", need="sorg", doors=[], created_by="t",
        created_at=datetime.now(UTC) - timedelta(days=days + 1),
    )  # fmt: skip
    young = LabCase(
        text="ungt testtilfelle", need="sorg", doors=[], created_by="t",
        created_at=datetime.now(UTC) - timedelta(days=days - 1),
    )  # fmt: skip
    session.add_all([old, young])
    session.commit()

    page = nina.get("/admin/feedback")

    assert "for gammelt testtilfelle" not in page.text and "ungt testtilfelle" in page.text
    session.expire_all()
    assert session.get(LabCase, old.id) is None and session.get(LabCase, young.id) is not None


def test_pruning_removes_message_text_that_older_versions_put_in_the_audit_log(
    nina: TestClient, session: Session
) -> None:
    # Before issue 13 the audit log kept each test case's text when the case was made and when it was deleted.
    session.add(
        AuditEntry(
            actor="nina.nasjonal", action="lab_case.delete", entity="lab_case", entity_id="41",
            before={"text": "faren min slår meg når han er full", "need": "vold_hjemme", "doors": []}, after=None,
        )
    )  # fmt: skip
    session.commit()

    nina.get("/admin/feedback")

    session.expire_all()
    entry = session.exec(select(AuditEntry).where(col(AuditEntry.entity_id) == "41")).one()
    assert entry.before == {"need": "vold_hjemme", "doors": []}
