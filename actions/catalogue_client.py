"""The catalogue over HTTP, as typed results.

Structure: ``CatalogueClient`` asks the catalogue (``/api/v1/route``, ``/api/v1/municipalities``) and
turns its JSON into the frozen dataclasses below. Every failure (timeout, refused connection, an HTTP
error status, JSON of the wrong shape) becomes a ``CatalogueUnavailable`` value with a short reason, so
an action can always answer, from the cached national doors if need be (style.md §9).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from actions.settings import ActionSettings
from veiviser_contract.doors import DOOR_FIELDS, DOORS_PAYLOAD_SCHEMA

logger = logging.getLogger(__name__)

LANGS = ("nb", "nn", "en")


@dataclass(frozen=True)
class CatalogueUnavailable:
    """The catalogue could not answer; ``reason`` is safe to log (it never holds what the user wrote)."""

    reason: str


@dataclass(frozen=True)
class Door:
    """One door of a route answer: the facts the dialogue decides on, and the payload fields it forwards as sent.

    ``fields`` holds exactly the contract's DOOR_FIELDS (veiviser_contract.doors), checked against its schema;
    the action server never rewrites a door, it only chooses what to say around the doors.
    """

    category: str
    name: str
    text: str
    generic: bool = False
    specialist: bool = False
    open_now: bool | None = None
    age_min: int | None = None
    age_max: int | None = None
    fields: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Door:
        """Read one door of a ``/route`` answer (or of the national cache); ``MalformedAnswer`` if it does not fit."""
        given = _mapping(data, "door")
        missing = [name for name in DOOR_FIELDS if name not in given]
        if missing:
            raise MalformedAnswer(f"door lacks {', '.join(missing[:3])}")
        # The route answer says more of each door (ids, reasons for helpers); the payload forwards the contract's part.
        d = {name: given[name] for name in DOOR_FIELDS}
        problem = next(iter(door_validator().iter_errors(d)), None)
        if problem is not None:
            where = "/".join(str(part) for part in problem.absolute_path) or "door"
            # The schema's message may quote the value; the place and the rule are enough to find the fault.
            raise MalformedAnswer(f"{where} breaks the door contract ({problem.validator})")
        return cls(
            category=d["category"],
            name=d["name"],
            text=d["text"],
            generic=d["generic"],
            specialist=d["specialist"],
            open_now=d["open_now"],
            age_min=d["age_min"],
            age_max=d["age_max"],
            fields=d,
        )

    def fits_age(self, age: int | None) -> bool:
        """Whether the door is open to someone of this age (unknown age fits every door)."""
        if age is None:
            return True
        return (self.age_min is None or age >= self.age_min) and (self.age_max is None or age <= self.age_max)

    def as_payload(self) -> dict[str, Any]:
        """The door as the doors payload carries it."""
        return dict(self.fields)


@lru_cache(maxsize=1)
def door_validator() -> Draft202012Validator:
    """The contract's schema for one door, compiled once."""
    return Draft202012Validator(DOORS_PAYLOAD_SCHEMA["properties"]["doors"]["items"])


@dataclass(frozen=True)
class KommuneInfo:
    """The municipality a route answer is for."""

    kommunenummer: str
    name: str
    example: bool = False


@dataclass(frozen=True)
class RouteResult:
    """The doors for a need, best first, and what the dialogue needs to know about them."""

    need: str
    urgency: str
    doors: tuple[Door, ...]
    kommune: KommuneInfo | None = None
    kommune_known: bool = False
    age_dependent: bool = False
    fallback: bool = False
    from_cache: bool = False

    @classmethod
    def from_json(cls, data: Any) -> RouteResult:
        """Read a ``/route`` answer; ``MalformedAnswer`` if it does not fit."""
        d = _mapping(data, "route answer")
        kommune = d.get("kommune")
        doors = d.get("doors")
        if not isinstance(doors, list):
            raise MalformedAnswer("doors is not a list")
        return cls(
            need=_str(d, "need"),
            urgency=_str(d, "urgency"),
            doors=tuple(Door.from_json(door) for door in doors),
            kommune=None if kommune is None else _kommune(kommune),
            kommune_known=_bool(d, "kommune_known"),
            age_dependent=_bool(d, "age_dependent"),
            fallback=_bool(d, "fallback"),
        )


@dataclass(frozen=True)
class KommuneMatch:
    """The municipality that best matches what the young person wrote, and how well (1.0 is exact).

    ``sure`` is the catalogue's judgement that the match is good enough to act on.
    """

    kommunenummer: str
    name: str
    score: float
    sure: bool = False
    example: bool = False


class MalformedAnswer(ValueError):
    """The catalogue answered JSON of a shape this client does not understand."""


class CatalogueClient:
    """Asks the catalogue for doors and municipalities; never raises, never waits past its timeouts."""

    def __init__(self, settings: ActionSettings) -> None:
        """Remember where the catalogue is and how long to wait for it."""
        self._base_url = settings.catalogue_url.rstrip("/")
        self._timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout)
        # httpx's timeouts apply to each connect/read/write; this caps the whole exchange, so a
        # catalogue that trickles bytes cannot hold a reply either.
        self._deadline = settings.connect_timeout + settings.timeout

    async def route(
        self, need: str, kommune: str | None = None, age: int | None = None, lang: str = "nb"
    ) -> RouteResult | CatalogueUnavailable:
        """The doors for a need, for the municipality and age when they are known."""
        params: dict[str, str | int] = {"need": need, "lang": lang if lang in LANGS else "nb"}
        if kommune:
            params["kommune"] = kommune
        if age is not None:
            params["age"] = age
        data = await self._get_json("/api/v1/route", params)
        if isinstance(data, CatalogueUnavailable):
            return data
        try:
            return RouteResult.from_json(data)
        except MalformedAnswer as exc:
            return self._unavailable("/api/v1/route", f"malformed answer ({exc})")

    async def find_kommune(self, text: str) -> KommuneMatch | None | CatalogueUnavailable:
        """The best-matching municipality for a name or number, or None when nothing is close."""
        query = text.strip()[:100]
        if not query:
            return None
        data = await self._get_json("/api/v1/municipalities", {"q": query, "limit": 1})
        if isinstance(data, CatalogueUnavailable):
            return data
        try:
            if not isinstance(data, list):
                raise MalformedAnswer("not a list")
            if not data:
                return None
            best = _mapping(data[0], "municipality")
            return KommuneMatch(
                kommunenummer=_str(best, "kommunenummer"),
                name=_str(best, "name"),
                score=_number(best, "score"),
                sure=_bool(best, "sure"),
                example=_bool(best, "example"),
            )
        except MalformedAnswer as exc:
            return self._unavailable("/api/v1/municipalities", f"malformed answer ({exc})")

    async def _get_json(self, path: str, params: Mapping[str, str | int]) -> Any:
        try:
            return await asyncio.wait_for(self._fetch(path, params), timeout=self._deadline)
        except (TimeoutError, httpx.TimeoutException):
            return self._unavailable(path, "timeout")
        except httpx.HTTPStatusError as exc:
            return self._unavailable(path, f"HTTP {exc.response.status_code}")
        except httpx.HTTPError as exc:
            # The class name says enough ("ConnectError"); the message may hold the query string.
            return self._unavailable(path, f"connection failed ({type(exc).__name__})")
        except ValueError:
            return self._unavailable(path, "malformed answer (not JSON)")
        except Exception as exc:  # noqa: BLE001 - an action must answer whatever the catalogue did
            return self._unavailable(path, f"unexpected failure ({type(exc).__name__})")

    async def _fetch(self, path: str, params: Mapping[str, str | int]) -> Any:
        async with httpx.AsyncClient(base_url=self._base_url, timeout=self._timeout, verify=ssl_context()) as client:
            response = await client.get(path, params=dict(params), headers={"Accept": "application/json"})
            response.raise_for_status()
            return response.json()

    @staticmethod
    def _unavailable(path: str, reason: str) -> CatalogueUnavailable:
        logger.warning("catalogue unavailable for %s: %s", path, reason)
        return CatalogueUnavailable(reason=reason)


@lru_cache(maxsize=1)
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every request of the process (the certificate store is read once).

    httpx otherwise builds one per client, even for plain http: 70 % of the action server's CPU under load
    (bench/README.md).
    """
    return httpx.create_ssl_context()


# --- reading JSON values with their types checked -------------------------------------------------


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedAnswer(f"{what} is not an object")
    return value


def _str(d: Mapping[str, Any], key: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedAnswer(f"{key} is not a non-empty string")
    return value


def _bool(d: Mapping[str, Any], key: str) -> bool:
    value = d.get(key, False)
    if not isinstance(value, bool):
        raise MalformedAnswer(f"{key} is not true/false")
    return value


def _number(d: Mapping[str, Any], key: str) -> float:
    value = d.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise MalformedAnswer(f"{key} is not a number")


def _kommune(value: Any) -> KommuneInfo:
    d = _mapping(value, "kommune")
    return KommuneInfo(kommunenummer=_str(d, "kommunenummer"), name=_str(d, "name"), example=_bool(d, "example"))
