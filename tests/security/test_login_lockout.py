"""The login lockout over real HTTP: per username *and* client address, shared by every catalogue process
through Redis (when reachable), so that nobody can lock a maintainer out of their own address."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from live_catalogue import PASSWORD, catalogue_env, prepare, serving

from testing.local_servers import redis_reachable

REDIS_URL = "redis://127.0.0.1:6379/0"
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"  # documentation addresses, sent as uvicorn's trusted proxy would


def _login(url: str, address: str, password: str = "feil-passord-oppdiktet") -> int:
    form = {"username": "kari.laas", "password": password}
    headers = {"X-Forwarded-For": address}  # uvicorn believes 127.0.0.1 (its default FORWARDED_ALLOW_IPS)
    return httpx.post(f"{url}/api/v1/auth/token", data=form, headers=headers, timeout=10).status_code


@pytest.mark.skipif(not redis_reachable(0), reason="Redis is not reachable on 127.0.0.1:6379")
def test_lockout_is_shared_through_redis_and_locks_only_the_attackers_address(tmp_path: Path) -> None:
    prefix = f"veiviser-test:{uuid.uuid4().hex}:"
    env = catalogue_env(
        f"sqlite:///{tmp_path / 'catalogue.db'}",
        VEIVISER_LOGIN_MAX_FAILURES="2",
        VEIVISER_REDIS_URL=REDIS_URL,
        VEIVISER_RATE_LIMIT_PREFIX=prefix,
    )
    prepare(env, {"kari.laas": ["9999"]})
    try:
        with serving(env, tmp_path / "a.log") as first, serving(env, tmp_path / "b.log") as second:
            assert [_login(first.url, ATTACKER), _login(second.url, ATTACKER)] == [401, 401]
            assert _login(first.url, ATTACKER, PASSWORD) == 401  # locked there, in both processes
            assert _login(second.url, ATTACKER, PASSWORD) == 401
            assert _login(first.url, OWNER, PASSWORD) == 200
    finally:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for name in client.scan_iter(match=f"{prefix}*"):
            client.delete(name)
