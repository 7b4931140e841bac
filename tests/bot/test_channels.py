"""bot/channels.py: the limits' arithmetic (fixed windows, per sender and per address, Redis shared counts) and
the settings read from the environment. The HTTP behaviour is tested through the real stack (tests/privacy,
tests/scaleout)."""

from __future__ import annotations

import asyncio
import uuid

import jwt
import pytest
from channels import ChannelSettings, GuardedRestInput, RateLimiter, _signed_by_the_lab
from rasa.core.channels.rest import RestInput


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _hits(limiter: RateLimiter, n: int, sender: str | None, address: str | None) -> list[int]:
    async def run() -> list[int]:
        return [await limiter.retry_after(sender, address) for _ in range(n)]

    return asyncio.run(run())


def test_sender_limit_counts_per_sender_and_resets_with_the_window() -> None:
    clock = Clock(999_960.0)  # a window boundary (60 divides it)
    limiter = RateLimiter(ChannelSettings(per_sender=3, per_address=100), clock=clock)
    assert _hits(limiter, 3, "a", "10.0.0.1") == [0, 0, 0]
    clock.now += 15
    assert _hits(limiter, 1, "a", "10.0.0.1") == [45]
    assert _hits(limiter, 1, "b", "10.0.0.1") == [0]
    clock.now += 45
    assert _hits(limiter, 1, "a", "10.0.0.1") == [0]


def test_address_limit_catches_many_senders_from_one_address() -> None:
    limiter = RateLimiter(ChannelSettings(per_sender=100, per_address=5), clock=Clock(60.0))
    results = [_hits(limiter, 1, f"sender-{n}", "10.0.0.2")[0] for n in range(6)]
    assert results[:5] == [0] * 5 and results[5] > 0
    assert _hits(limiter, 1, "sender-x", "10.0.0.3") == [0]


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEIVISER_RATE_PER_SENDER", "7")
    monkeypatch.setenv("VEIVISER_MAX_MESSAGE_CHARS", "500")
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = ChannelSettings.from_env()
    assert (settings.per_sender, settings.per_address, settings.max_chars, settings.redis_url) == (7, 300, 500, None)
    monkeypatch.setenv("VEIVISER_RATE_PER_ADDRESS", "mange")
    with pytest.raises(ValueError, match="VEIVISER_RATE_PER_ADDRESS"):
        ChannelSettings.from_env()


def test_channel_keeps_the_rest_name_and_url() -> None:
    channel = GuardedRestInput.from_credentials(None)
    assert isinstance(channel, RestInput)
    assert channel.name() == "rest" and channel.url_prefix() == "rest"


def test_redis_counts_are_shared_between_limiters() -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    settings = ChannelSettings(per_sender=4, per_address=1000, redis_url=url)
    sender = uuid.uuid4().hex

    async def run() -> list[int]:
        first, second = RateLimiter(settings), RateLimiter(settings)  # two Rasa instances
        return [await (first if n % 2 else second).retry_after(sender, None) for n in range(5)]

    results = asyncio.run(run())
    assert results[:4] == [0, 0, 0, 0] and results[4] > 0


class _Request:
    """The one part of a Sanic request the lab check reads."""

    def __init__(self, token: str) -> None:
        self.headers = {"authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("claims", "trusted"), [({"exp": 4102444800}, True), ({}, False)])
def test_a_lab_token_skips_the_limits_only_with_an_expiry(
    monkeypatch: pytest.MonkeyPatch, claims: dict[str, int], trusted: bool
) -> None:
    secret = "s" * 40
    monkeypatch.setenv("RASA_JWT_SECRET", secret)
    token = jwt.encode({"user": {"username": "lab", "role": "admin"}, **claims}, secret, algorithm="HS256")
    assert _signed_by_the_lab(_Request(token)) is trusted  # type: ignore[arg-type]
