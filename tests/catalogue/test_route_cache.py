"""The route cache never serves stale doors: after an admin write, and across app instances and processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from factories import make_maintainer, token_headers
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from service_catalog.config import get_settings
from service_catalog.db import get_session, make_engine
from service_catalog.main import create_app
from service_catalog.migrate import upgrade
from service_catalog.route_cache import route_cache
from testing.local_servers import postgres_reachable, temporary_database

ROUTE = "/api/v1/route"
ANGST_15 = {"need": "angst_uro", "kommune": "9999", "age": 15, "at": "2026-11-23T10:00:00+01:00"}


def door_ids(client: TestClient) -> list[int]:
    response = client.get(ROUTE, params=ANGST_15)
    assert response.status_code == 200, response.text
    return [d["service_id"] for d in response.json()["doors"] if d.get("service_id") is not None]


def municipal_door(client: TestClient) -> int:
    answer = client.get(ROUTE, params=ANGST_15).json()
    return next(d["service_id"] for d in answer["doors"] if d.get("service_id") and d.get("scope") == "municipal")


def test_route_after_deactivate_through_admin_api_leaves_the_service_out(client: TestClient, session: Session) -> None:
    headers = token_headers(make_maintainer(session, username="cache-admin", municipalities=["9999"]))
    service_id = municipal_door(client)
    assert service_id in door_ids(client)  # second answer comes from the cache
    response = client.post(f"/api/v1/admin/services/{service_id}/deactivate", headers=headers)
    assert response.status_code == 200, response.text
    assert service_id not in door_ids(client)


# ---------------------------------------------------------------- several app instances on one database


@pytest.fixture(params=["sqlite", "postgresql"])
def committed_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own, migrated and seeded, whose writes are committed (no outer transaction)."""
    from service_catalog.seed import seed

    with ExitStack() as scope:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('cache') / 'catalogue.db'}"
        elif postgres_reachable():
            url = scope.enter_context(temporary_database("veiviser_cache"))
        else:
            pytest.skip("PostgreSQL is not reachable")
        engine = make_engine(url)
        upgrade(engine)
        with Session(engine) as session:
            seed(session, get_settings())
        engine.dispose()
        yield url


def app_on(engine: Engine) -> TestClient:
    """A second application instance with its own engine, like a second uvicorn worker."""
    app = create_app()

    def session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = session
    return TestClient(app)


def test_route_on_one_instance_sees_an_admin_write_on_another(committed_url: str) -> None:
    first, second = make_engine(committed_url), make_engine(committed_url)
    try:
        with Session(second) as session:
            headers = token_headers(make_maintainer(session, username="cache-two", municipalities=["9999"]))
            session.commit()
        with app_on(first) as reader, app_on(second) as writer:
            service_id = municipal_door(reader)
            assert service_id in door_ids(reader)
            response = writer.post(f"/api/v1/admin/services/{service_id}/deactivate", headers=headers)
            assert response.status_code == 200, response.text
            assert service_id not in door_ids(reader)
    finally:
        first.dispose()
        second.dispose()


def test_route_sees_a_write_committed_by_another_process(committed_url: str) -> None:
    """No event of this process fires here: only the fingerprint query can notice the change."""
    engine = make_engine(committed_url)
    writer = (
        "import sys\n"
        "from sqlmodel import Session\n"
        "from service_catalog import catalog\n"
        "from service_catalog.db import make_engine\n"
        "from service_catalog.models import Service\n"
        "engine = make_engine(sys.argv[1])\n"
        "with Session(engine) as s:\n"
        "    catalog.set_active(s, catalog.get_service(s, int(sys.argv[2])), False)\n"
        "    s.commit()\n"
    )
    try:
        with app_on(engine) as reader:
            service_id = municipal_door(reader)
            assert service_id in door_ids(reader)
            generation_before = route_cache._generation
            subprocess.run(
                [sys.executable, "-c", writer, committed_url, str(service_id)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            assert route_cache._generation == generation_before  # nothing in this process invalidated it
            assert service_id not in door_ids(reader)
    finally:
        engine.dispose()
