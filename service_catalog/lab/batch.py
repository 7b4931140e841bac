"""A test set scored against the real assistant: right door, urgent recall, false urgent, confusion.

A case's expected ``need`` is a need code, ``none`` (anything but a need will do), or a small-talk intent of
the assistant such as ``greet`` (that intent exactly). Definitions (also in the README):
- right door: at least one acceptable door among the first three doors of the reply. A case's acceptable
  doors are its own list, or when that is empty, the doors of the routing rule for its expected need
  (in its kommune, for its age). Cases whose expected need is ``none`` (small talk) are not counted here.
- urgent: the reply is the crisis reply (an urgent need, or a doors payload with urgency ``akutt``).
- urgent recall: urgent replies among cases marked urgent; false-urgent rate: urgent replies among the rest.
- no door: a case whose expected need is a need code got a reply without any door (principle 3 says never).
- asked: the reply was the direct question of an ambiguous signal (intent ``check_risk``): 116 123 and 113
  first, not the crisis reply; counted on its own, neither urgent nor a miss of the doors.
Every rate is also given per language (the case's ``lang``: nb, nn, en, slang, or another language's code).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field
from sqlmodel import Session

from service_catalog.lab.rasa_client import RasaClient
from service_catalog.lab.trace import doors_payload
from service_catalog.route_answer import answer_route
from service_catalog.vocabulary import Vocabulary

NONE = "none"
CHECK_INTENT = "check_risk"
TOP = 3
# Four conversations at once: enough to keep Rasa busy on two cores without queueing behind each other.
WORKERS = 4


class CaseLike(Protocol):
    """One row of a test set in the shared format (see ``service_catalog.lab_cases``)."""

    @property
    def text(self) -> str: ...
    @property
    def need(self) -> str: ...
    @property
    def doors(self) -> Sequence[str]: ...
    @property
    def urgent(self) -> bool: ...
    @property
    def kommune(self) -> str | None: ...
    @property
    def age(self) -> int | None: ...
    @property
    def lang(self) -> str | None: ...


class CaseResult(BaseModel):
    line: int | None = None
    lang: str | None = None
    text: str
    expected_need: str
    got_need: str = Field(description="The need the assistant acted on, or 'none' when it was not a need")
    got_intent: str
    confidence: float
    acceptable_doors: list[str]
    reply_doors: list[str]
    right_door: bool | None = Field(description="None when the case has no door to judge (need 'none')")
    expected_urgent: bool
    got_urgent: bool
    need_case: bool = Field(default=False, description="The expected need is a need code (a door is owed)")
    got_doors: bool = Field(default=False, description="The reply carried a doors payload with at least one door")
    asked: bool = Field(default=False, description="The reply was the direct question (check_risk)")
    crisis_words: list[str] = Field(default_factory=list)

    @property
    def misrouted(self) -> bool:
        return self.right_door is False or self.expected_urgent != self.got_urgent


class Rate(BaseModel):
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def percent(self) -> str:
        return "–" if self.value is None else f"{self.hits}/{self.total} ({100 * self.value:.1f} %)"


class Rates(BaseModel):
    """The figures of a set of results (a whole test set, or one language of it)."""

    cases: int
    right_door: Rate
    urgent_recall: Rate
    false_urgent: Rate
    need_accuracy: Rate
    no_door: Rate
    asked: Rate


class BatchReport(Rates):
    source: str
    at: datetime
    per_lang: dict[str, Rates] = Field(default_factory=dict, description="the same figures per language")
    confusion: dict[str, dict[str, int]] = Field(description="expected need -> got need -> count")
    results: list[CaseResult]

    @property
    def misrouted(self) -> list[CaseResult]:
        return [r for r in self.results if r.misrouted]


def score_cases(
    cases: Sequence[CaseLike],
    *,
    source: str,
    at: datetime,
    rasa: RasaClient,
    session: Session,
    vocabulary: Vocabulary,
    progress: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Send every case to the assistant as a new conversation and score the replies."""
    acceptable = [_acceptable(case, session, vocabulary, at) for case in cases]
    done = 0

    def run(index: int) -> CaseResult:
        nonlocal done
        result = _score_one(cases[index], acceptable[index], rasa, vocabulary)
        result.line = getattr(cases[index], "line", None)  # a CaseRow read from a file knows its line
        result.lang = getattr(cases[index], "lang", None)
        done += 1
        if progress:
            progress(done, len(cases))
        return result

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(run, range(len(cases))))
    return summarise(results, source=source, at=at)


def rates(results: Sequence[CaseResult]) -> Rates:
    """Right door, urgent recall, false urgent, need accuracy, no door and asked, over ``results``."""
    judged = [r for r in results if r.right_door is not None]
    urgent = [r for r in results if r.expected_urgent]
    calm = [r for r in results if not r.expected_urgent]
    owed = [r for r in results if r.need_case]
    return Rates(
        cases=len(results),
        right_door=Rate(hits=sum(bool(r.right_door) for r in judged), total=len(judged)),
        urgent_recall=Rate(hits=sum(r.got_urgent for r in urgent), total=len(urgent)),
        false_urgent=Rate(hits=sum(r.got_urgent for r in calm), total=len(calm)),
        need_accuracy=Rate(hits=sum(r.got_need == r.expected_need for r in results), total=len(results)),
        no_door=Rate(hits=sum(not r.got_doors for r in owed), total=len(owed)),
        asked=Rate(hits=sum(r.asked for r in results), total=len(results)),
    )


def summarise(results: list[CaseResult], *, source: str, at: datetime) -> BatchReport:
    """The rates (overall and per language) and the confusion table of scored cases."""
    confusion: dict[str, Counter[str]] = {}
    for r in results:
        confusion.setdefault(r.expected_need, Counter())[r.got_need] += 1
    langs = sorted({r.lang for r in results if r.lang})
    return BatchReport(
        **rates(results).model_dump(),
        source=source,
        at=at,
        per_lang={lang: rates([r for r in results if r.lang == lang]) for lang in langs},
        confusion={need: dict(sorted(got.items())) for need, got in sorted(confusion.items())},
        results=results,
    )


def _label(intent: str, expected: str, vocabulary: Vocabulary) -> str:
    # A need, or "none" for anything else; a case that names a small-talk intent (greet) is judged on it exactly.
    if vocabulary.is_need(intent) or (expected != NONE and not vocabulary.is_need(expected)):
        return intent
    return NONE


def _acceptable(case: CaseLike, session: Session, vocabulary: Vocabulary, at: datetime) -> list[str]:
    if case.doors:
        return list(case.doors)
    if not vocabulary.is_need(case.need):
        return []
    answer = answer_route(session, vocabulary, need=case.need, kommunenummer=case.kommune, age=case.age, at=at)
    return list(answer.rule.doors) if answer.rule else []


def _score_one(case: CaseLike, acceptable: list[str], rasa: RasaClient, vocabulary: Vocabulary) -> CaseResult:
    parsed = rasa.parse(case.text)
    reply = rasa.say(case.text, kommune=case.kommune, age=case.age)
    intent = parsed.get("intent") or {}
    name = str(intent.get("name") or "nlu_fallback")
    payload = doors_payload(reply) or {}
    reply_doors = [str(d.get("category")) for d in payload.get("doors", [])]
    got_urgent = name in vocabulary.urgent_needs or payload.get("urgency") == "akutt"
    crisis = parsed.get("crisis") if isinstance(parsed.get("crisis"), dict) else {}
    return CaseResult(
        text=case.text,
        expected_need=case.need,
        got_need=_label(name, case.need, vocabulary),
        got_intent=name,
        confidence=float(intent.get("confidence") or 0.0),
        acceptable_doors=acceptable,
        reply_doors=reply_doors,
        right_door=None if not acceptable else any(d in acceptable for d in reply_doors[:TOP]),
        expected_urgent=case.urgent,
        got_urgent=got_urgent,
        need_case=vocabulary.is_need(case.need),
        got_doors=bool(reply_doors),
        asked=name == CHECK_INTENT,
        crisis_words=[str(w) for w in (crisis or {}).get("words") or []],
    )
