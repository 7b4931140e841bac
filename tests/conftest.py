"""Shared fixtures: a real database (SQLite, and PostgreSQL when reachable), migrated and seeded once,
with every test in its own transaction that is rolled back at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rest_stack import stack  # noqa: F401 - the whole stack, shared by the conversation and browser tests
from sqlalchemy import Engine
from sqlmodel import Session

from service_catalog.config import get_settings
from service_catalog.db import get_engine, get_session, make_engine
from service_catalog.main import app
from service_catalog.migrate import upgrade
from service_catalog.ratelimit import get_counter
from testing.local_servers import postgres_reachable, temporary_database

os.environ.setdefault("VEIVISER_ENVIRONMENT", "test")
# Tests that need the Rasa side run in their own steps of `make test` (see the Makefile): the stack
# conversation tests need a trained model and three running servers, and the action and component tests
# import rasa, which lives in .venv-rasa.
STACK_FOLDERS = ["conversation", "browser", "lab", "privacy", "scaleout"]
collect_ignore = [] if os.environ.get("VEIVISER_STACK_TESTS") == "1" else list(STACK_FOLDERS)
collect_ignore += ["actions", "rasa"]

BACKENDS = ["sqlite"] + (["postgresql"] if postgres_reachable() else [])


def _seed(engine: Engine) -> None:
    from service_catalog.seed import seed

    with Session(engine) as session:
        seed(session, get_settings())


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated, seeded database for the whole run, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'catalogue.db'}"
        engine = make_engine(url)
        upgrade(engine)
        _seed(engine)
        yield engine
        engine.dispose()
        return
    with temporary_database("veiviser_test") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            _seed(engine)
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Every test starts with no login or feedback attempts counted (the counters live in the process)."""
    get_counter().reset()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def client(session: Session, engine: Engine) -> Iterator[TestClient]:
    """The real application over HTTP (in-process), using the test's session."""
    app.dependency_overrides[get_session] = lambda: session
    app.dependency_overrides[get_engine] = lambda: engine
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()
