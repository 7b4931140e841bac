"""Generated requests against every operation of the catalogue's OpenAPI schema: none may answer 500.

Schemathesis calls the app in-process (ASGI). Each request gets its own session on the test's
connection, inside a savepoint, as a real request gets its own session: a request that fails cannot
leave a broken session behind for the next one, and everything is rolled back when the test ends.
Admin operations are called with a national maintainer's bearer token, so they get past the login
check and reach the code that does the work. Generated kommune numbers, need and door codes and ids are
often swapped for ones that exist, so requests also get past "not found", and a NUL byte is often
appended to the text values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import schemathesis
from factories import auth_headers, ensure_municipality, make_maintainer, make_service
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from service_catalog.db import get_engine, get_session
from service_catalog.main import app
from service_catalog.vocabulary import get_vocabulary

schema = schemathesis.openapi.from_asgi("/openapi.json", app)

_DOORS = st.sampled_from(sorted(get_vocabulary().doors))
# The seed and the fixture make the first rows of every table; the large ids are past what the
# databases' INTEGER holds (PostgreSQL 2**31 - 1, SQLite 2**63 - 1) and must be refused, not crash.
_IDS = st.one_of(st.integers(min_value=1, max_value=30), st.sampled_from([2**31, 2**63, 10**20]))
_KNOWN: dict[str, st.SearchStrategy[Any]] = {
    "kommune": st.sampled_from(["9999", "9998", "0301"]),
    "need": st.sampled_from(get_vocabulary().needs),
    "door": _DOORS,
    "doors": st.lists(_DOORS, min_size=1, max_size=3, unique=True),
    "covers": st.lists(st.sampled_from(["9999", "9998"]), min_size=1, max_size=2, unique=True),
    "service_id": _IDS,
    "rule_id": _IDS,
}


def _steered(values: object) -> st.SearchStrategy[Any]:
    """The generated values as they are, with known values swapped in (see _KNOWN), or with a NUL byte
    appended to every text value (PostgreSQL refuses NUL in text, SQLite does not: a classic 500)."""
    if not isinstance(values, Mapping):
        return st.just(values)
    choices = [st.just(values)]
    if _KNOWN.keys() & values.keys():
        known = st.fixed_dictionaries({key: _KNOWN[key] for key in _KNOWN.keys() & values.keys()})
        choices.append(known.map(lambda swap: {**values, **swap}))
    if any(isinstance(value, str) for value in values.values()):
        choices.append(st.just({key: f"{v}\x00" if isinstance(v, str) else v for key, v in values.items()}))
    return st.one_of(choices)


@schema.hook
def flatmap_query(_context: schemathesis.HookContext, query: object) -> st.SearchStrategy[Any]:
    return _steered(query)


@schema.hook
def flatmap_path_parameters(_context: schemathesis.HookContext, path: object) -> st.SearchStrategy[Any]:
    return _steered(path)


@schema.hook
def flatmap_body(_context: schemathesis.HookContext, body: object) -> st.SearchStrategy[Any]:
    return _steered(body)


@pytest.fixture
def fuzz_headers(session: Session, engine: Engine) -> Iterator[dict[str, str]]:
    """The app wired to the test's connection, and a national maintainer's Authorization header."""
    connection = session.get_bind()
    assert isinstance(connection, Connection)
    ensure_municipality(session, "9998")
    make_maintainer(session, username="fuzz-vedlikehold", national=True)
    make_service(session)
    session.commit()

    def fresh_session() -> Iterator[Session]:
        with Session(bind=connection, join_transaction_mode="create_savepoint") as request_session:
            yield request_session

    app.dependency_overrides[get_session] = fresh_session
    app.dependency_overrides[get_engine] = lambda: engine
    try:
        with TestClient(app) as client:
            yield auth_headers(client, "fuzz-vedlikehold")
    finally:
        app.dependency_overrides.clear()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_operation_never_answers_500(case: schemathesis.Case[Any], fuzz_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=fuzz_headers, checks=[not_a_server_error])
