"""User participation (brukermedvirkning): feedback counts, shared messages and the lab cases made of them.

Queries and writes live here; the public API (``api/routes/feedback.py``) and the maintainer page
(``web/maintainer/feedback.py``) stay thin. Crisis text is never stored (safety.md rule 6): a message about
an urgent need, or one in which the chat's crisis lexicons find crisis words, is refused before redaction, so
it is never even held in a variable past the check.

A young person's words live in two tables only, each with its retention (``prune``): shared messages
(``VEIVISER_SHARED_MESSAGE_DAYS``) and the test cases made of them (``VEIVISER_LAB_CASE_DAYS``). The audit log
records what maintainers did with them without their text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import Session, col, select

from service_catalog import catalog
from service_catalog.config import Settings
from service_catalog.errors import Unprocessable
from service_catalog.lab_cases import CaseRow, one_line
from service_catalog.models import AuditEntry, Feedback, LabCase, RoutingRule, SharedMessage
from service_catalog.models.feedback import MAX_SHARED_TEXT, FeedbackIn, ShareIn
from service_catalog.vocabulary import Urgency, Vocabulary
from veiviser_contract.crisis_lexicon import Lexicon
from veiviser_contract.foreign_lexicon import ForeignLexicon
from veiviser_contract.redaction import redact

RECENT_DAYS = 30


class UrgentNotShared(Unprocessable):
    """A message about an urgent need is never stored, not even redacted."""


class CrisisWordsNotShared(Unprocessable):
    """A message with crisis words is never stored, whatever need the client names (safety.md rule 6)."""


def today(settings: Settings) -> date:
    """The calendar day in Norway: the only time a feedback row carries."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


def is_urgent_need(session: Session, vocabulary: Vocabulary, need: str) -> bool:
    """True for the six akutt needs, and for any need a routing rule (national or local) marks akutt."""
    if need in vocabulary.urgent_needs:
        return True
    stmt = select(RoutingRule.id).where(RoutingRule.need == need, RoutingRule.urgency == Urgency.akutt).limit(1)
    return session.exec(stmt).first() is not None


def record_feedback(session: Session, settings: Settings, answer: FeedbackIn) -> Feedback:
    """Store one yes/no answer: need, doors, answer and day, nothing else."""
    row = Feedback(day=today(settings), need=answer.need, doors=list(answer.doors), helpful=answer.helpful)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@lru_cache(maxsize=2)
def _crisis_lexicons(data_dir: Path) -> tuple[Lexicon, ForeignLexicon]:
    """The chat's crisis lexicons (data/rasa), compiled once per process: the Norwegian/English one and the other
    languages' danger words, matched by the very code the crisis gate uses (``veiviser_contract``)."""
    folder = data_dir / "rasa"
    lexicon = folder / "crisis_lexicon.yml"
    foreign = folder / "crisis_lexicon_other.yml"
    return (
        Lexicon(yaml.safe_load(lexicon.read_text(encoding="utf-8")), source=str(lexicon)),
        ForeignLexicon(yaml.safe_load(foreign.read_text(encoding="utf-8")) or {}, source=str(foreign)),
    )


def has_crisis_words(settings: Settings, text: str) -> bool:
    """True when either crisis lexicon fires on ``text``, "maybe" included (recall first: safety.md rule 2)."""
    lexicon, foreign = _crisis_lexicons(settings.data_dir)
    return lexicon.check(text) is not None or foreign.check(text) is not None


def share_message(session: Session, settings: Settings, vocabulary: Vocabulary, shared: ShareIn) -> SharedMessage:
    """Redact and store a message its writer chose to share; refused for urgent needs and for crisis words."""
    if is_urgent_need(session, vocabulary, shared.need):
        raise UrgentNotShared("messages about urgent needs are never stored; the answer was counted only")
    # The need is what the client says; the words are what the young person wrote.
    if has_crisis_words(settings, shared.text):
        raise CrisisWordsNotShared("messages with crisis words are never stored; the answer was counted only")
    text = one_line(redact(shared.text))[:MAX_SHARED_TEXT]
    row = SharedMessage(
        day=today(settings), text=text, need=shared.need, doors=list(shared.doors), helpful=shared.helpful
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@dataclass(frozen=True)
class Pruned:
    """How many shared messages and test cases one ``prune`` deleted."""

    shared_messages: int
    lab_cases: int


def prune(session: Session, settings: Settings, *, on: date | None = None) -> Pruned:
    """Delete shared messages and test cases past their retention, and message text older versions audited."""
    cutoff = (on or today(settings)) - timedelta(days=settings.shared_message_days)
    messages = session.exec(select(SharedMessage).where(col(SharedMessage.day) < cutoff)).all()
    made_before = datetime.now(UTC) - timedelta(days=settings.lab_case_days)
    cases = session.exec(select(LabCase).where(col(LabCase.created_at) < made_before)).all()
    for row in (*messages, *cases):
        session.delete(row)
    # Before issue 13, making and deleting a test case put its text in the audit log.
    for entry in session.exec(select(AuditEntry).where(col(AuditEntry.entity) == "lab_case")).all():
        for side in ("before", "after"):
            state = getattr(entry, side)
            if isinstance(state, dict) and "text" in state:
                setattr(entry, side, {key: value for key, value in state.items() if key != "text"})
    session.commit()
    return Pruned(shared_messages=len(messages), lab_cases=len(cases))


# ---------------------------------------------------------------- counts


@dataclass
class Tally:
    """Yes and no answers for one need or door."""

    yes: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no

    @property
    def share_yes(self) -> int:
        """Per cent of answers that were yes, rounded."""
        return round(100 * self.yes / self.total) if self.total else 0


@dataclass
class Counts:
    """Tallies per need and per door (a door counts once for each answer about a reply that showed it)."""

    needs: dict[str, Tally] = field(default_factory=dict)
    doors: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)


def counts(session: Session, *, since: date | None = None) -> Counts:
    """Yes/no per need and per door, from ``since`` (None: all time), most answers first."""
    stmt = select(Feedback.need, Feedback.doors, Feedback.helpful)
    if since is not None:
        stmt = stmt.where(col(Feedback.day) >= since)
    needs: dict[str, Tally] = {}
    doors: dict[str, Tally] = {}
    total = Tally()
    for need, shown, helpful in session.exec(stmt):
        for tally in (needs.setdefault(need, Tally()), total, *(doors.setdefault(d, Tally()) for d in set(shown))):
            if helpful:
                tally.yes += 1
            else:
                tally.no += 1
    return Counts(needs=_most_first(needs), doors=_most_first(doors), total=total)


def _most_first(tallies: dict[str, Tally]) -> dict[str, Tally]:
    order = Counter({key: tally.total for key, tally in tallies.items()})
    return {key: tallies[key] for key, _ in sorted(order.items(), key=lambda item: (-item[1], item[0]))}


# ---------------------------------------------------------------- shared messages and lab cases


def shared_messages(session: Session, limit: int = 200) -> list[SharedMessage]:
    """The shared messages, newest first."""
    stmt = select(SharedMessage).order_by(col(SharedMessage.day).desc(), col(SharedMessage.id).desc()).limit(limit)
    return list(session.exec(stmt).all())


def lab_cases(session: Session) -> list[LabCase]:
    """Every lab test case, oldest first (the order of the TSV download)."""
    return list(session.exec(select(LabCase).order_by(col(LabCase.id))).all())


def _message_facts(message: SharedMessage) -> dict[str, Any]:
    # What the audit log may keep of a shared message: never its text.
    return {"day": message.day.isoformat(), "need": message.need, "doors": message.doors, "helpful": message.helpful}


def _case_facts(case: LabCase) -> dict[str, Any]:
    # What the audit log may keep of a test case: never its text, a young person's words (issue 13).
    return {
        "need": case.need,
        "doors": case.doors,
        "urgent": case.urgent,
        "kommune": case.kommune,
        "age": case.age,
        "lang": case.lang,
        "note": case.note,
    }


def make_lab_case(session: Session, message: SharedMessage, *, actor: str) -> LabCase:
    """Turn a shared message into a lab test case in one step, and delete the message (both audited)."""
    answer = "ja" if message.helpful else "nei"
    case = LabCase(
        text=message.text,
        need=message.need,
        # Doors that helped are the expected answer; when they did not, the need's rule decides.
        doors=list(message.doors) if message.helpful else [],
        urgent=False,
        note=f"delt melding {message.day.isoformat()}, til hjelp: {answer}",
        created_by=actor,
    )
    session.add(case)
    session.flush()
    catalog.audit(
        session,
        actor=actor,
        action="lab_case.create",
        entity="lab_case",
        entity_id=str(case.id),
        kommunenummer=None,
        before=None,
        after={**_case_facts(case), "from_shared_message": message.id},
    )
    catalog.audit(
        session,
        actor=actor,
        action="shared_message.to_lab_case",
        entity="shared_message",
        entity_id=str(message.id),
        kommunenummer=None,
        before=_message_facts(message),
        after={"lab_case": case.id},
    )
    session.delete(message)
    session.commit()
    return case


def delete_shared_message(session: Session, message: SharedMessage, *, actor: str) -> None:
    """Delete a shared message (audited without its text)."""
    catalog.audit(
        session,
        actor=actor,
        action="shared_message.delete",
        entity="shared_message",
        entity_id=str(message.id),
        kommunenummer=None,
        before=_message_facts(message),
        after=None,
    )
    session.delete(message)
    session.commit()


def delete_lab_case(session: Session, case: LabCase, *, actor: str) -> None:
    """Delete a lab test case (audited with what it was, without its text)."""
    catalog.audit(
        session,
        actor=actor,
        action="lab_case.delete",
        entity="lab_case",
        entity_id=str(case.id),
        kommunenummer=None,
        before=_case_facts(case),
        after=None,
    )
    session.delete(case)
    session.commit()


def case_rows(cases: Sequence[LabCase]) -> list[CaseRow]:
    """The cases in the shared test-set format."""
    return [
        CaseRow(
            text=c.text,
            need=c.need,
            doors=tuple(c.doors),
            urgent=c.urgent,
            kommune=c.kommune,
            age=c.age,
            lang=c.lang,
            note=c.note,
        )
        for c in cases
    ]
