"""``POST /api/v1/feedback`` and ``/feedback/share``: what is stored, what is refused, and CORS.

Real database, real HTTP (in-process), one behaviour each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlmodel import Session, func, select

from service_catalog.cli import main
from service_catalog.config import get_settings
from service_catalog.db import get_engine
from service_catalog.feedback import prune, today
from service_catalog.migrate import upgrade
from service_catalog.models import Feedback, LabCase, SharedMessage

ANSWER: dict[str, Any] = {"need": "nedstemthet", "doors": ["helsesykepleier", "fastlege"], "helpful": True}
SHARE: dict[str, Any] = {**ANSWER, "text": "jeg er så lei meg", "consent": True}
ORIGIN = "https://www.eksempel.kommune.example"


@pytest.fixture
def origins(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read again after the test sets VEIVISER_CHAT_ORIGINS, and again after it ends."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _count(session: Session, table: type[Feedback] | type[SharedMessage]) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


# ---------------------------------------------------------------- counts


def test_feedback_stores_only_need_doors_answer_and_day(client: TestClient, session: Session) -> None:
    response = client.post("/api/v1/feedback", json=ANSWER)
    assert response.status_code == 201
    columns = {c["name"] for c in inspect(session.connection()).get_columns("feedback")}
    assert columns == {"id", "day", "need", "doors", "helpful"}
    row = session.exec(select(Feedback).order_by(Feedback.id.desc())).first()  # type: ignore[union-attr]
    assert row is not None
    assert (row.need, row.doors, row.helpful) == ("nedstemthet", ["helsesykepleier", "fastlege"], True)
    assert row.day == today(get_settings()) and type(row.day) is date


def test_feedback_sets_no_cookie(client: TestClient) -> None:
    response = client.post("/api/v1/feedback", json=ANSWER)
    assert "set-cookie" not in response.headers


def test_feedback_for_an_urgent_need_is_counted(client: TestClient, session: Session) -> None:
    answer = {"need": "selvmordstanker", "doors": ["nodtelefon", "krisetelefon"], "helpful": False}
    before = _count(session, Feedback)
    assert client.post("/api/v1/feedback", json=answer).status_code == 201
    assert _count(session, Feedback) == before + 1


@pytest.mark.parametrize(
    "body",
    [
        {**ANSWER, "need": "ikke_et_behov"},
        {**ANSWER, "doors": ["helsesykepleier", "ingen_dor"]},
        {**ANSWER, "doors": []},
        {**ANSWER, "doors": ["helsesykepleier"] * 7},
        {**ANSWER, "helpful": "kanskje"},
        {**ANSWER, "kommune": "9999"},
        {"need": "nedstemthet"},
        ["nedstemthet"],
    ],
    ids=["unknown-need", "unknown-door", "no-doors", "seven-doors", "not-a-bool", "extra-field", "missing", "list"],
)
def test_feedback_with_bad_input_is_422_and_stores_nothing(client: TestClient, session: Session, body: Any) -> None:
    before = _count(session, Feedback)
    response = client.post("/api/v1/feedback", json=body)
    assert response.status_code == 422
    assert _count(session, Feedback) == before


def test_feedback_that_is_not_json_is_refused_with_400(client: TestClient) -> None:
    response = client.post("/api/v1/feedback", content=b"\xff{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


# ---------------------------------------------------------------- shared messages


def test_share_redacts_before_storing(client: TestClient, session: Session) -> None:
    text = "jeg heter Ola og nummeret mitt er 912 34 567, jeg er så lei meg"
    response = client.post("/api/v1/feedback/share", json={**SHARE, "text": text})
    assert response.status_code == 201
    stored = session.exec(select(SharedMessage).order_by(SharedMessage.id.desc())).first()  # type: ignore[union-attr]
    assert stored is not None
    assert stored.text == "jeg heter [navn] og nummeret mitt er [telefon], jeg er så lei meg"
    assert (stored.need, stored.doors, stored.helpful) == ("nedstemthet", ["helsesykepleier", "fastlege"], True)


def test_share_for_an_urgent_need_is_refused_and_stores_nothing(client: TestClient, session: Session) -> None:
    before = _count(session, SharedMessage)
    body = {**SHARE, "need": "selvmordstanker", "doors": ["nodtelefon"], "text": "jeg vil ikke leve lenger"}
    response = client.post("/api/v1/feedback/share", json=body)
    assert response.status_code == 422
    assert "jeg vil ikke" not in response.text
    assert _count(session, SharedMessage) == before


@pytest.mark.parametrize(
    "text",
    [
        "jeg orker ikke mer, vil ikke leve lenger",
        "pappa slår mamma nå og jeg er redd",
        "har tatt 20 paracet og føler meg rar",
        "vil bare forsvinne",
        "i want to kill myself",
        "chcę umrzeć",
    ],
    ids=["suicidal", "violence-now", "overdose", "maybe", "english", "polish"],
)
def test_share_with_crisis_words_is_refused_whatever_need_the_client_names(
    client: TestClient, session: Session, text: str
) -> None:
    before = _count(session, SharedMessage)
    response = client.post("/api/v1/feedback/share", json={**SHARE, "need": "skolestress", "text": text})
    assert response.status_code == 422
    assert text.split()[1] not in response.text  # the error never echoes the message
    assert _count(session, SharedMessage) == before


def test_share_without_consent_is_refused(client: TestClient, session: Session) -> None:
    before = _count(session, SharedMessage)
    assert client.post("/api/v1/feedback/share", json={**SHARE, "consent": False}).status_code == 422
    assert (
        client.post("/api/v1/feedback/share", json={k: v for k, v in SHARE.items() if k != "consent"}).status_code
        == 422
    )
    assert _count(session, SharedMessage) == before


def test_share_with_a_huge_text_is_422(client: TestClient, session: Session) -> None:
    before = _count(session, SharedMessage)
    response = client.post("/api/v1/feedback/share", json={**SHARE, "text": "a" * 1001})
    assert response.status_code == 422
    assert "aaaa" not in response.text  # the error never echoes the input
    assert _count(session, SharedMessage) == before


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01"], ids=["empty", "blank", "control"])
def test_share_of_an_empty_text_is_422(client: TestClient, text: str) -> None:
    assert client.post("/api/v1/feedback/share", json={**SHARE, "text": text}).status_code == 422


def test_share_keeps_the_text_on_one_line_without_control_characters(client: TestClient, session: Session) -> None:
    client.post("/api/v1/feedback/share", json={**SHARE, "text": "lei\tmeg\x00\n\nhele  tiden"})
    stored = session.exec(select(SharedMessage).order_by(SharedMessage.id.desc())).first()  # type: ignore[union-attr]
    assert stored is not None and stored.text == "lei meg hele tiden"


# ---------------------------------------------------------------- retention


def test_prune_deletes_shared_messages_older_than_90_days_only(session: Session) -> None:
    settings = get_settings()
    now = today(settings)
    old = SharedMessage(day=now - timedelta(days=91), text="gammel", need="angst_uro", doors=["fastlege"], helpful=True)
    edge = SharedMessage(
        day=now - timedelta(days=90), text="grense", need="angst_uro", doors=["fastlege"], helpful=True
    )
    session.add_all([old, edge])
    session.commit()
    assert prune(session, settings).shared_messages >= 1
    texts = set(session.exec(select(SharedMessage.text)).all())
    assert "gammel" not in texts and "grense" in texts


def test_cli_feedback_prune_deletes_old_shared_messages_and_test_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prune.db'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        engine = get_engine()
        upgrade(engine)
        now = today(get_settings())
        with Session(engine) as db:
            for age, text in ((200, "gammel"), (1, "ny")):
                day = now - timedelta(days=age)
                db.add(SharedMessage(day=day, text=text, need="sorg", doors=["ung_no"], helpful=True))
            for age, text in ((400, "gammelt tilfelle"), (10, "nytt tilfelle")):
                made = datetime.now(UTC) - timedelta(days=age)
                db.add(LabCase(text=text, need="sorg", doors=[], created_by="t", created_at=made))
            db.commit()
        assert main(["feedback", "prune"]) == 0
        out = capsys.readouterr().out
        assert "shared messages deleted (older than 90 days): 1" in out
        assert "test cases deleted (older than 365 days): 1" in out
        with Session(engine) as db:
            assert db.exec(select(SharedMessage.text)).all() == ["ny"]
            assert db.exec(select(LabCase.text)).all() == ["nytt tilfelle"]
        engine.dispose()
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()


# ---------------------------------------------------------------- CORS: the sites that embed the chat (issue 13)


def _preflight(client: TestClient, path: str = "/api/v1/feedback", origin: str = ORIGIN) -> Any:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


@pytest.mark.parametrize("path", ["/api/v1/feedback", "/api/v1/feedback/share"])
def test_by_default_no_other_site_may_post(
    client: TestClient, session: Session, origins: pytest.MonkeyPatch, path: str
) -> None:
    origins.delenv("VEIVISER_CHAT_ORIGINS", raising=False)
    assert "access-control-allow-origin" not in _preflight(client, path).headers
    before = _count(session, SharedMessage), _count(session, Feedback)

    response = client.post(path, json=SHARE if path.endswith("share") else ANSWER, headers={"Origin": ORIGIN})

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert (_count(session, SharedMessage), _count(session, Feedback)) == before


@pytest.mark.parametrize("path", ["/api/v1/feedback", "/api/v1/feedback/share"])
def test_preflight_from_a_site_that_embeds_the_chat_names_it(
    client: TestClient, origins: pytest.MonkeyPatch, path: str
) -> None:
    origins.setenv("VEIVISER_CHAT_ORIGINS", f"https://annen.example, {ORIGIN}")
    response = _preflight(client, path)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["vary"] == "Origin"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


def test_post_from_a_site_that_embeds_the_chat_is_stored(
    client: TestClient, session: Session, origins: pytest.MonkeyPatch
) -> None:
    origins.setenv("VEIVISER_CHAT_ORIGINS", ORIGIN)
    before = _count(session, Feedback)
    response = client.post("/api/v1/feedback", json=ANSWER, headers={"Origin": ORIGIN})
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert _count(session, Feedback) == before + 1


def test_post_from_a_site_that_does_not_embed_the_chat_gets_no_cors_answer_and_stores_nothing(
    client: TestClient, session: Session, origins: pytest.MonkeyPatch
) -> None:
    origins.setenv("VEIVISER_CHAT_ORIGINS", "https://annen.example")
    assert "access-control-allow-origin" not in _preflight(client).headers
    before = _count(session, Feedback)
    response = client.post("/api/v1/feedback", json=ANSWER, headers={"Origin": ORIGIN})
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert _count(session, Feedback) == before


def test_post_from_this_catalogues_own_page_is_allowed_whatever_the_list(
    client: TestClient, origins: pytest.MonkeyPatch
) -> None:
    origins.delenv("VEIVISER_CHAT_ORIGINS", raising=False)
    response = client.post("/api/v1/feedback", json=ANSWER, headers={"Origin": "http://testserver"})
    assert response.status_code == 201


def test_any_site_may_post_only_when_the_chat_origins_say_so(client: TestClient, origins: pytest.MonkeyPatch) -> None:
    origins.setenv("VEIVISER_CHAT_ORIGINS", "*")
    assert _preflight(client).headers["access-control-allow-origin"] == "*"


def test_feedback_origins_is_no_longer_a_setting(client: TestClient, origins: pytest.MonkeyPatch) -> None:
    # The widget posts feedback from the pages that embed the chat: VEIVISER_CHAT_ORIGINS is the one list.
    origins.delenv("VEIVISER_CHAT_ORIGINS", raising=False)
    origins.setenv("VEIVISER_FEEDBACK_ORIGINS", "*")
    assert "access-control-allow-origin" not in _preflight(client).headers


def test_cors_answer_is_on_errors_too(client: TestClient, origins: pytest.MonkeyPatch) -> None:
    origins.setenv("VEIVISER_CHAT_ORIGINS", ORIGIN)
    response = client.post("/api/v1/feedback", json={**ANSWER, "need": "x"}, headers={"Origin": ORIGIN})
    assert response.status_code == 422
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_other_endpoints_answer_no_cors(client: TestClient) -> None:
    response = client.get("/api/v1/needs", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers
