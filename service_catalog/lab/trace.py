"""One message's whole routing decision, from the real assistant and the real catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from service_catalog.lab.models import CrisisTrace, DoorDecision, Entity, LanguageTrace, NeedGuess, Trace
from service_catalog.lab.rasa_client import RasaClient
from service_catalog.route_answer import answer_route
from service_catalog.vocabulary import Lang, Vocabulary

RUNNER_UPS = 3
# Intents that are no guess at a need: Rasa's fallback.
NOT_A_GUESS = {"nlu_fallback"}


def trace_message(
    text: str,
    *,
    kommune: str | None,
    age: int | None,
    at: datetime,
    rasa: RasaClient,
    session: Session,
    vocabulary: Vocabulary,
) -> Trace:
    """Parse ``text`` with the assistant, route its need in the catalogue, and get the reply the chat shows."""
    parsed = rasa.parse(text)
    reply = rasa.say(text, kommune=kommune, age=age)
    intent = parsed.get("intent") or {}
    intent_name = str(intent.get("name") or "nlu_fallback")
    need = intent_name if vocabulary.is_need(intent_name) else None
    language = _language(parsed.get("language"))
    route = None
    if need is not None:
        lang = Lang(language.code) if language and language.code in {"nb", "nn", "en"} else Lang.nb
        route = answer_route(session, vocabulary, need=need, kommunenummer=kommune, age=age, at=at, lang=lang)
    payload = doors_payload(reply)
    return Trace(
        message=text,
        kommune=kommune,
        age=age,
        at=at,
        language=language,
        need=need,
        intent=intent_name,
        confidence=float(intent.get("confidence") or 0.0),
        runner_up=_runner_ups(parsed.get("intent_ranking"), intent_name),
        entities=[
            Entity(entity=str(e.get("entity")), value=str(e.get("value")), extractor=e.get("extractor"))
            for e in parsed.get("entities") or []
        ],
        crisis=_crisis(parsed.get("crisis"), intent_name, vocabulary),
        urgency=route.urgency if route else None,
        rule=route.rule if route else None,
        kommune_known=route.kommune_known if route else False,
        fallback_doors_added=route.fallback if route else False,
        doors=[
            DoorDecision(position=i, shown=route is not None and i <= len(route.doors), door=door)
            for i, door in enumerate([*route.doors, *route.not_shown] if route else [], start=1)
        ],
        excluded=route.excluded if route else [],
        reply=reply_texts(reply),
        reply_doors=[str(d.get("category")) for d in payload.get("doors", [])] if payload else [],
        reply_urgency=str(payload["urgency"]) if payload and payload.get("urgency") else None,
    )


def reply_texts(messages: list[dict[str, Any]]) -> list[str]:
    """The texts of a REST reply in order, with button titles, as the young person reads them."""
    out = []
    for message in messages:
        if isinstance(message.get("text"), str):
            out.append(message["text"])
        for button in message.get("buttons") or []:
            out.append(f"[{button.get('title')}]")
    return out


def doors_payload(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The ``doors`` payload of a REST reply (the reply contract), or None."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "doors":
            return custom
    return None


def _language(data: Any) -> LanguageTrace | None:
    if not isinstance(data, dict) or "code" not in data:
        return None
    return LanguageTrace(
        code=str(data["code"]),
        probability=float(data.get("probability") or 0.0),
        method=data.get("method"),
        confident=bool(data.get("confident")),
    )


def _runner_ups(ranking: Any, chosen: str) -> list[NeedGuess]:
    guesses = [
        NeedGuess(need=str(r.get("name")), confidence=float(r.get("confidence") or 0.0))
        for r in ranking or []
        if isinstance(r, dict) and r.get("name") not in NOT_A_GUESS and r.get("name") != chosen
    ]
    return guesses[:RUNNER_UPS]


def _crisis(data: Any, intent: str, vocabulary: Vocabulary) -> CrisisTrace:
    data = data if isinstance(data, dict) else {}
    classifier = data.get("classifier_intent") or {}
    return CrisisTrace(
        fired=intent in vocabulary.urgent_needs,
        action=str(data.get("action") or "none"),
        lexicon_level=data.get("level"),
        words=[str(w) for w in data.get("words") or []],
        classifier_need=classifier.get("name"),
        classifier_confidence=classifier.get("confidence"),
    )
