"""A per-process cache of the routing inputs of ``/api/v1/route``, correct across several catalogue processes.

Loading the rules, absences and candidate services (with hours, closed dates and areas) is most of the
cost of a route answer, and they change only when a maintainer writes. Two mechanisms keep the cache exact:

- In this process, every ORM flush that touches a routing table marks the session, and the end of its
  transaction (commit, rollback or close) empties the cache, so no write path has to remember to do it.
- Writes by other processes (a second uvicorn worker, ``veiviser import``) are seen through a fingerprint
  read with one cheap query per request: row counts and highest ids of every routing table, the newest
  ``updated_at`` of services and rules, and the newest audit entry. Every catalogue write path either
  changes a count or an id, sets ``updated_at``, or writes an audit entry, so the fingerprint changes.

The inputs depend only on (need, kommune); opening state, age and language are computed per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import ORMExecuteState, SessionTransaction, UOWTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from service_catalog.models import (
    AuditEntry,
    ClosedDate,
    DoorAbsence,
    Municipality,
    RoutingRule,
    Schedule,
    Service,
    ServiceArea,
)
from service_catalog.models.municipality import MunicipalityPublic
from service_catalog.routing import Candidate, Rule

ROUTING_TABLES = (Service, Schedule, ClosedDate, ServiceArea, RoutingRule, DoorAbsence, Municipality)
# Enough for every need in a few dozen municipalities; the least recently used entry goes first.
MAX_ENTRIES = 2048
_DIRTY = "veiviser_routing_dirty"


@dataclass(frozen=True)
class RoutingInputs:
    """What the database says about one need in one municipality; immutable, so requests can share it."""

    municipality: MunicipalityPublic | None
    rules: tuple[Rule, ...]
    fallback_rules: tuple[Rule, ...]
    absent: frozenset[str]
    candidates: tuple[Candidate, ...]


Loader = Callable[[Session, str, str | None], RoutingInputs]
Fingerprint = tuple[Any, ...]


@lru_cache
def fingerprint_statement() -> Select[Any]:
    """One SELECT of scalar subqueries whose result changes whenever routing data changes."""
    parts: list[Any] = []
    for model in (Service, Schedule, ClosedDate, RoutingRule, DoorAbsence):
        parts.append(select(func.count()).select_from(model).scalar_subquery())
        parts.append(select(func.max(model.id)).scalar_subquery())
    parts.append(select(func.count()).select_from(ServiceArea).scalar_subquery())
    parts.append(select(func.count()).select_from(Municipality).scalar_subquery())
    parts.append(select(func.max(Service.updated_at)).scalar_subquery())
    parts.append(select(func.max(RoutingRule.updated_at)).scalar_subquery())
    parts.append(select(func.max(AuditEntry.id)).scalar_subquery())
    return select(*parts)


def read_fingerprint(session: Session) -> Fingerprint:
    """The current fingerprint, read in the caller's transaction (a Core query: no ORM cost)."""
    return tuple(session.connection().execute(fingerprint_statement()).one())


class RouteCache:
    """Routing inputs by (need, kommune), emptied when the fingerprint or this process's writes say so."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str | None], RoutingInputs] = OrderedDict()
        self._fingerprint: Fingerprint | None = None
        self._generation = 0
        self._writes = 0
        self._max_entries = max_entries

    def invalidate(self) -> None:
        """Forget everything (a write in this process ended its transaction)."""
        with self._lock:
            self._writes += 1
            self._generation += 1
            self._fingerprint = None
            self._entries.clear()

    def inputs(self, session: Session, need: str, kommune: str | None, load: Loader) -> RoutingInputs:
        """The inputs for this need and municipality, loaded with ``load`` when not cached."""
        writes = self._writes
        current = read_fingerprint(session)
        key = (need, kommune)
        with self._lock:
            # A write in this process that ended after the fingerprint was read makes it untrustworthy.
            trusted = writes == self._writes
            if trusted and current != self._fingerprint:
                self._entries.clear()
                self._fingerprint = current
                self._generation += 1
            generation = self._generation
            cached = self._entries.get(key) if trusted else None
            if cached is not None:
                self._entries.move_to_end(key)
                return cached
        loaded = load(session, need, kommune)
        with self._lock:
            # A write that ended while we were loading bumped the generation: the result may be stale.
            if trusted and generation == self._generation:
                self._entries[key] = loaded
                while len(self._entries) > self._max_entries:
                    self._entries.popitem(last=False)
        return loaded


route_cache = RouteCache()


def _touches_routing(session: OrmSession) -> bool:
    return any(isinstance(obj, ROUTING_TABLES) for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(OrmSession, "before_flush")
def _mark_before_flush(session: OrmSession, _flush: UOWTransaction, _instances: object) -> None:
    # before_flush, not after: afterwards session.new and session.deleted are already empty.
    if _touches_routing(session):
        session.info[_DIRTY] = True
        route_cache.invalidate()


@event.listens_for(OrmSession, "do_orm_execute")
def _mark_bulk_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_DIRTY] = True
        route_cache.invalidate()


@event.listens_for(OrmSession, "after_transaction_end")
def _invalidate_after_write(session: OrmSession, transaction: SessionTransaction) -> None:
    # Invalidate again once the write is committed or rolled back: a request that loaded in between
    # could otherwise keep rows that are no longer (or not yet) the truth.
    if session.info.get(_DIRTY):
        route_cache.invalidate()
        if transaction.parent is None:
            session.info.pop(_DIRTY, None)
