"""Rate limits on the maintainer login and the public feedback endpoints, over real HTTP (uvicorn processes).

Each test starts the catalogue with small limits on a database of its own. With Redis (when reachable),
two catalogue processes count together: attempts spread over both are still limited.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_catalogue import PASSWORD, catalogue_env, prepare, serving

from testing.local_servers import redis_reachable

LIMITS = {
    "VEIVISER_LOGIN_RATE_PER_ADDRESS": "6",
    "VEIVISER_LOGIN_RATE_PER_USERNAME": "4",
    "VEIVISER_LOGIN_RATE_WINDOW_SECONDS": "120",
    "VEIVISER_FEEDBACK_RATE_PER_ADDRESS": "5",
    "VEIVISER_FEEDBACK_RATE_WINDOW_SECONDS": "120",
}
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = catalogue_env(f"sqlite:///{tmp_path / 'catalogue.db'}", **LIMITS)
    prepare(env, {"kari.grense": ["9999"], "ola.grense": ["9999"]})
    return env


@pytest.fixture
def catalogue(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    with serving(env, tmp_path / "serve.log") as running:
        yield running.url


def _api_login(url: str, username: str, password: str = "feil-passord-oppdiktet") -> httpx.Response:
    return httpx.post(f"{url}/api/v1/auth/token", data={"username": username, "password": password}, timeout=10)


def _page_login(client: httpx.Client, username: str, password: str = "feil-passord-oppdiktet") -> httpx.Response:
    page = client.get("/admin/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf_token": found.group(1)},
        follow_redirects=False,
    )


def test_api_login_per_username_limit_answers_429_with_retry_after(catalogue: str) -> None:
    answers = [_api_login(catalogue, "kari.grense").status_code for _ in range(4)]
    assert answers == [401] * 4
    refused = _api_login(catalogue, "kari.grense", PASSWORD)  # even the right password, once past the limit
    assert refused.status_code == 429
    assert "too many login attempts" in refused.json()["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 120
    # Another username from the same address still gets through (below the per-address limit).
    assert _api_login(catalogue, "ola.grense", PASSWORD).status_code == 200


def test_api_login_per_address_limit_counts_every_username(catalogue: str) -> None:
    answers = [_api_login(catalogue, f"ukjent{i}").status_code for i in range(6)]
    assert answers == [401] * 6
    assert _api_login(catalogue, "ola.grense", PASSWORD).status_code == 429


def test_page_login_is_limited_with_a_clear_page(catalogue: str) -> None:
    with httpx.Client(base_url=catalogue, timeout=10) as client:
        answers = [_page_login(client, "kari.grense").status_code for _ in range(4)]
        assert answers == [401] * 4
        refused = _page_login(client, "kari.grense", PASSWORD)
    assert refused.status_code == 429
    assert "For mange innloggingsforsøk" in refused.text
    assert "Retry-After" in refused.headers
    assert "unsafe-inline" not in refused.headers["Content-Security-Policy"]


def test_page_and_api_login_share_the_count(catalogue: str) -> None:
    with httpx.Client(base_url=catalogue, timeout=10) as client:
        assert [_page_login(client, "kari.grense").status_code for _ in range(2)] == [401, 401]
    assert [_api_login(catalogue, "kari.grense").status_code for _ in range(2)] == [401, 401]
    assert _api_login(catalogue, "kari.grense", PASSWORD).status_code == 429


def test_feedback_is_limited_per_address(catalogue: str) -> None:
    body = {"need": "sovn", "doors": ["helsesykepleier"], "helpful": True}
    answers = [httpx.post(f"{catalogue}/api/v1/feedback", json=body, timeout=10).status_code for _ in range(5)]
    assert answers == [201] * 5
    refused = httpx.post(
        f"{catalogue}/api/v1/feedback/share",
        json={**body, "text": "Oppdiktet tekst", "consent": True},
        headers={"Origin": catalogue},  # the widget on the catalogue's own page
        timeout=10,
    )
    assert refused.status_code == 429
    assert "too many feedback messages" in refused.json()["detail"]
    assert refused.headers.get("Access-Control-Allow-Origin") == catalogue  # the widget can read why


@pytest.mark.skipif(not redis_reachable(0), reason="Redis is not reachable on 127.0.0.1:6379")
def test_two_processes_share_the_login_limit_through_redis(env: dict[str, str], tmp_path: Path) -> None:
    prefix = f"veiviser-test:{uuid.uuid4().hex}:"
    shared = {**env, "VEIVISER_REDIS_URL": REDIS_URL, "VEIVISER_RATE_LIMIT_PREFIX": prefix}
    try:
        with serving(shared, tmp_path / "a.log") as first, serving(shared, tmp_path / "b.log") as second:
            answers = [_api_login(url, "kari.grense").status_code for url in (first.url, second.url) * 2]
            assert answers == [401] * 4
            assert _api_login(first.url, "kari.grense", PASSWORD).status_code == 429
            assert _api_login(second.url, "kari.grense", PASSWORD).status_code == 429
    finally:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for name in client.scan_iter(match=f"{prefix}*"):
            client.delete(name)


def test_without_redis_each_process_counts_alone(env: dict[str, str], tmp_path: Path) -> None:
    with serving(env, tmp_path / "a.log") as first, serving(env, tmp_path / "b.log") as second:
        assert [_api_login(first.url, "kari.grense").status_code for _ in range(4)] == [401] * 4
        assert _api_login(first.url, "kari.grense", PASSWORD).status_code == 429
        assert _api_login(second.url, "kari.grense", PASSWORD).status_code == 200
