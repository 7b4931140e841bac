"""The database drops every connection while maintainers write: no write is lost or doubled, none hangs.

The catalogue runs as a real uvicorn process on a PostgreSQL database this test creates. Eight clients send
PATCHes of one service through the admin API, each with a description carrying a unique marker, while
another thread terminates every backend of that database again and again (``pg_terminate_backend``; the
PostgreSQL server itself is not restarted: others use it). Then:

- every write answered 2xx is in the audit log exactly once, and the service holds the last of them;
- every write that failed got a clear 503 (or 500) within the client's timeout, never a hang, and is in the
  audit log at most once (a commit can succeed just before the connection dies);
- right after the terminations stop, /ready answers 200 and a write succeeds (``pool_pre_ping``).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from live_catalogue import catalogue_env, prepare, serving, token
from sqlalchemy import create_engine, text

from testing.local_servers import POSTGRES_ADMIN_URL, postgres_reachable, temporary_database

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not reachable"),
]
WRITES = 160
CLIENT_TIMEOUT = 20.0


@pytest.fixture
def database() -> Iterator[tuple[str, str]]:
    with temporary_database("veiviser_fault") as url:
        yield url.rsplit("/", 1)[1], url


def _terminate_backends(name: str, stop: threading.Event, kills: list[int]) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        while not stop.is_set():
            with admin.connect() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                ).scalar_one()
            kills.append(int(killed))
            time.sleep(0.15)
    finally:
        admin.dispose()


def test_writes_survive_terminated_connections_exactly_once(database: tuple[str, str], tmp_path: Path) -> None:
    name, url = database
    env = catalogue_env(url)
    prepare(env, {"feil.nasjonal": []})
    with serving(env, tmp_path / "serve.log") as catalogue:
        headers = {"Authorization": f"Bearer {token(catalogue.url, 'feil.nasjonal')}"}
        service_id = _service_in_9999(catalogue.url, headers)
        stop, kills = threading.Event(), []
        killer = threading.Thread(target=_terminate_backends, args=(name, stop, kills), daemon=True)

        def write(i: int) -> tuple[str, int | str, float]:
            marker = f"oppdiktet-skriv-{i}-{uuid.uuid4().hex[:8]}"
            started = time.monotonic()
            try:
                response = httpx.patch(
                    f"{catalogue.url}/api/v1/admin/services/{service_id}",
                    json={"description": f"Oppdiktet beskrivelse {marker}"},
                    headers=headers,
                    timeout=CLIENT_TIMEOUT,
                )
                outcome: int | str = response.status_code
                if response.status_code >= 500:
                    assert "request_id" in response.json(), response.text
            except httpx.TimeoutException:
                outcome = "hang"
            except httpx.TransportError as exc:
                outcome = f"transport: {type(exc).__name__}"
            return marker, outcome, time.monotonic() - started

        killer.start()
        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(write, range(WRITES)))
        finally:
            stop.set()
            killer.join(timeout=10)

        # Right after: the service answers and writes again.
        assert httpx.get(f"{catalogue.url}/ready", timeout=5).status_code == 200
        after = httpx.patch(
            f"{catalogue.url}/api/v1/admin/services/{service_id}",
            json={"description": "Oppdiktet beskrivelse etterpå"},
            headers=headers,
            timeout=5,
        )
        assert after.status_code == 200, after.text

    assert sum(kills) > 0, "no backend was terminated: the test did not test anything"
    outcomes = [outcome for _, outcome, _ in results]
    assert "hang" not in outcomes and not any(isinstance(o, str) for o in outcomes), outcomes
    assert all(200 <= o < 300 or o in (500, 503) for o in outcomes if isinstance(o, int)), outcomes
    failed = [m for m, o, _ in results if isinstance(o, int) and o >= 500]
    succeeded = [m for m, o, _ in results if isinstance(o, int) and o < 300]
    assert succeeded, "no write got through at all"
    print(f"\n{len(succeeded)} writes 2xx, {len(failed)} refused (503/500), {sum(kills)} backends terminated")  # noqa: T201

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, after FROM auditentry WHERE entity = 'service' AND entity_id = :sid ORDER BY id"),
                {"sid": str(service_id)},
            ).all()
            description = conn.execute(
                text("SELECT description FROM service WHERE id = :sid"), {"sid": service_id}
            ).scalar_one()
    finally:
        engine.dispose()
    logged = [str((after or {}).get("description", "")) for _, after in rows]
    for marker in succeeded:
        assert sum(marker in entry for entry in logged) == 1, f"{marker} is not in the audit log exactly once"
    for marker in failed:
        assert sum(marker in entry for entry in logged) <= 1, f"{marker} is in the audit log more than once"
    assert description == "Oppdiktet beskrivelse etterpå"


def _service_in_9999(url: str, headers: dict[str, str]) -> int:
    from factories import service_data

    created = httpx.post(
        f"{url}/api/v1/admin/services", params={"kommune": "9999"}, json=service_data(), headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])
