"""The custom actions: read slots, ask the catalogue, utter responses by name (style.md §8).

Every action derives from ``VeiviserAction``, whose ``run`` never raises: a failure is logged without
slot values or message text and answered with a static text that still carries 113, 116 123 and
116 111 (style.md §9, safety.md rule 4). The decisions live in ``dialogue.py`` and ``doors.py``.
"""

from __future__ import annotations

import logging
import traceback
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.age import plausible_age
from actions.catalogue_client import CatalogueClient, CatalogueUnavailable, RouteResult
from actions.dialogue import (
    intro_response,
    known_age,
    kommunenummer,
    likely_needs,
    metadata_age,
    metadata_kommune,
    opening_response,
    reply_lang,
    should_ask_age,
)
from actions.doors import doors_payload, doors_text, shows_cards
from actions.national_cache import national_cache
from actions.needs import vocabulary
from actions.settings import get_settings
from actions.texts import FALLBACK_QUESTION, STATIC_FALLBACK
from veiviser_contract.needs import GENERAL_NEED

logger = logging.getLogger(__name__)

Events = list[dict[str, Any]]
# "jeg er 15 år gammel btw": an answer to the age question is short; a longer message is about something else.
AGE_ANSWER_MAX_WORDS = 6
DomainDict = dict[str, Any]


class VeiviserAction(Action, ABC):  # type: ignore[misc]
    """An action that always answers: ``act`` does the work, ``run`` turns any failure into the static fallback."""

    def __init__(self, client: CatalogueClient | None = None) -> None:
        """Use ``client`` for the catalogue (tests); by default one built from the environment on first use."""
        self._client = client

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Do the action's work; may raise, ``run`` catches it."""

    @property
    def client(self) -> CatalogueClient:
        """The catalogue client."""
        if self._client is None:
            self._client = CatalogueClient(get_settings())
        return self._client

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Run ``act``; on any exception, log where it happened and utter the static fallback."""
        try:
            return await self.act(dispatcher, tracker, domain)
        except Exception as exc:  # noqa: BLE001 - the young person must get an answer whatever failed
            # The type and place only: an exception's message can repeat slot values or what was written.
            logger.error("%s failed with %s at %s", self.name(), type(exc).__name__, _where(exc))
            lang = _safe_lang(tracker)
            dispatcher.utter_message(text=STATIC_FALLBACK[lang])
            _cached_general_doors(dispatcher, lang)
            return []


class ActionShowDoors(VeiviserAction):
    """A warm sentence for the need, the doors (text and payload), then the age question when it matters.

    What the young person already said in the message is used at once (principle 3): an age ("jeg er 22"),
    a municipality ("bor i Bodø") and whether it is about a friend, read by the NLU's ContextReader.
    """

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_show_doors"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Show the doors for the latest need intent, or the need in the slot."""
        needs = vocabulary()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        slot_need = tracker.get_slot("need")
        need = intent if needs.is_need(intent) else slot_need if needs.is_need(slot_need) else GENERAL_NEED
        events: Events = []
        said_age = plausible_age(_first_entity(tracker, "alder"))
        if said_age is not None:
            events.append(SlotSet("alder", float(said_age)))
        age = said_age or _age(tracker)
        said_kommune = await self._kommune_said(dispatcher, tracker)
        from_slot = kommunenummer(tracker.get_slot("kommunenummer"))
        from_metadata = metadata_kommune(tracker.latest_message)
        kommune = said_kommune or from_slot or from_metadata
        if said_kommune:
            events.append(SlotSet("kommunenummer", said_kommune))
        result = await fetch_doors(self.client, need, kommune, age, _lang(tracker))
        # A need from the slot (a "no" to the direct question) was answered warmly by the rule already.
        opening = needs.is_need(intent)
        events += present_doors(dispatcher, tracker, result, age=age, about=_about(tracker), opening=opening)
        if not said_kommune and from_slot is None and from_metadata and _resolved(result, from_metadata):
            events.append(SlotSet("kommunenummer", from_metadata))
        return events

    async def _kommune_said(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> str | None:
        """The kommunenummer of a municipality named in this message, once the catalogue knows it."""
        text = _first_entity(tracker, "kommune")
        if not text:
            return None
        match = await self.client.find_kommune(text)
        if isinstance(match, CatalogueUnavailable) or match is None or not match.sure:
            return None  # the doors still come; the kommune of the website (or none) is used
        dispatcher.utter_message(response="utter_kommune_set", kommune_navn=match.name)
        return match.kommunenummer


class ActionSetKommune(VeiviserAction):
    """Resolve "jeg bor i Asker" to a kommunenummer; show the doors there when a need is known."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_set_kommune"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Look the municipality up in the catalogue; a later answer simply overwrites an earlier one."""
        text = _first_entity(tracker, "kommune") or tracker.get_slot("kommune_text")
        if not isinstance(text, str) or not text.strip():
            dispatcher.utter_message(response="utter_kommune_unknown")
            return []
        need = _known_need(tracker)
        age = _age(tracker)
        match = await self.client.find_kommune(text)
        if isinstance(match, CatalogueUnavailable):
            # Asking /route now would only wait for the same dead catalogue: go to the cache at once.
            result = national_cache().route(need or GENERAL_NEED, age, _lang(tracker))
            return present_doors(dispatcher, tracker, result, opening=False, age=age)
        if match is None or not match.sure:
            dispatcher.utter_message(response="utter_kommune_unknown")
            return []
        dispatcher.utter_message(response="utter_kommune_set", kommune_navn=match.name)
        events: Events = [SlotSet("kommunenummer", match.kommunenummer)]
        if need:
            result = await fetch_doors(self.client, need, match.kommunenummer, age, _lang(tracker))
            events += present_doors(dispatcher, tracker, result, opening=False, age=age)
        return events


class ActionSetAge(VeiviserAction):
    """Read the age ("15", "femten", "fifteen"); show the doors again for that age when a need is known."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_set_age"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Set ``alder`` when the age is plausible (8 to 30), else ask for it as a number."""
        text = tracker.latest_message.get("text")
        age = plausible_age(_first_entity(tracker, "alder")) or plausible_age(text)
        if age is None and isinstance(text, str) and len(text.split()) > AGE_ANSWER_MAX_WORDS:
            # A longer message read as an age only for a number in it (a phone number, a time): it is about
            # something else, so it gets what any unclear message gets, never "I did not get your age".
            return await ActionVeiviserFallback(self._client).act(dispatcher, tracker, domain)
        if age is None:
            dispatcher.utter_message(response="utter_age_unclear")
            return [SlotSet("age_asked", True)]
        events: Events = [SlotSet("alder", float(age))]
        need = _known_need(tracker)
        kommune = kommunenummer(tracker.get_slot("kommunenummer")) or metadata_kommune(tracker.latest_message)
        if need:
            dispatcher.utter_message(response="utter_age_set", alder=age)
            result = await fetch_doors(self.client, need, kommune, age, _lang(tracker))
            return events + present_doors(dispatcher, tracker, result, opening=False, age=age)
        # No need yet: never a reply without a door (principle 3). Ask what is wrong, with the doors for anyone.
        dispatcher.utter_message(response="utter_age_set_no_need", alder=age)
        result = await fetch_doors(self.client, GENERAL_NEED, kommune, age, _lang(tracker))
        return events + present_doors(dispatcher, tracker, result, opening=False, intro=False, ask_age=False, age=age)


class ActionVeiviserFallback(VeiviserAction):
    """An unclear message still gets doors: the general first-line doors, then the likeliest needs as buttons.

    The rules utter the opening line from the domain first (utter_fallback_general, utter_out_of_scope), so
    something sensible with 113 is said even when this action server is down. Never "say it another way"
    alone (principle 3).
    """

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_veiviser_fallback"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Show the doors of the general need, then buttons for the two or three likeliest needs."""
        lang = _lang(tracker)
        kommune = kommunenummer(tracker.get_slot("kommunenummer")) or metadata_kommune(tracker.latest_message)
        said_age = plausible_age(_first_entity(tracker, "alder"))
        age = said_age or _age(tracker)
        result = await fetch_doors(self.client, GENERAL_NEED, kommune, age, lang)
        events = present_doors(dispatcher, tracker, result, opening=False, intro=False, ask_age=False, age=age)
        needs = vocabulary()
        likely = likely_needs(tracker.latest_message.get("intent_ranking"), needs)
        buttons = [{"title": needs.label(need, lang), "payload": f"/{need}"} for need in likely]
        dispatcher.utter_message(text=FALLBACK_QUESTION[lang], buttons=buttons)
        if said_age is not None:
            events.append(SlotSet("alder", float(said_age)))
        return events


# --- shared steps ---------------------------------------------------------------------------------


async def fetch_doors(
    client: CatalogueClient, need: str, kommune: str | None, age: int | None, lang: str
) -> RouteResult:
    """The catalogue's doors for a need, or the cached national doors when it does not answer."""
    answer = await client.route(need, kommune=kommune, age=age, lang=lang)
    if isinstance(answer, CatalogueUnavailable) or not answer.doors:
        # The catalogue arranges the doors and adds the general ones when a rule leaves none; an empty
        # answer can only mean broken data, and a young person never gets a reply without a door.
        return national_cache().route(need, age, lang)
    return answer


def present_doors(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    result: RouteResult,
    *,
    age: int | None,
    opening: bool = True,
    intro: bool = True,
    ask_age: bool = True,
    about: str | None = None,
) -> Events:
    """Utter the doors reply (opening line, intro, doors, specialist note, age question); return its slots.

    ``about`` is "venn" or "familie" when the message is about someone else: the opening speaks to the
    helper, and the age question (whose age?) is left out.
    """
    opening_line = opening_response(result.need, vocabulary(), about) if opening else None
    if opening_line:
        dispatcher.utter_message(response=opening_line)
    if intro or result.from_cache:
        # When the catalogue is down this is utter_catalogue_down: the reply says so honestly.
        dispatcher.utter_message(response=intro_response(result))
    if not shows_cards(tracker.latest_message):
        # A client without cards (rasa shell, a plain REST client) reads the same doors as numbered text.
        dispatcher.utter_message(text=doors_text(result.doors))
    dispatcher.utter_message(json_message=doors_payload(result))
    if any(door.specialist for door in result.doors):
        dispatcher.utter_message(response="utter_specialist_explained")
    age_asked = bool(tracker.get_slot("age_asked"))
    # Principle 3: a door first, then the question, and only when the answer would change the doors.
    asking = ask_age and about is None and should_ask_age(result, age, age_asked)
    if asking:
        dispatcher.utter_message(response="utter_ask_age")
    return [
        SlotSet("need", result.need),
        SlotSet("urgency", result.urgency),
        SlotSet("doors_shown", True),
        SlotSet("age_asked", age_asked or asking),
    ]


def _cached_general_doors(dispatcher: CollectingDispatcher, lang: str) -> None:
    """The cached national doors for anyone, after the static fallback: never a reply without a door (principle 3)."""
    try:
        dispatcher.utter_message(json_message=doors_payload(national_cache().route(GENERAL_NEED, None, lang)))
    except Exception:  # noqa: BLE001 - the static text with the numbers has been said; the cards are a bonus
        logger.error("the cached national doors could not be read either")


def _age(tracker: Tracker) -> int | None:
    # The slot (what the young person said) wins over metadata (what a client such as the routing lab sent).
    return known_age(tracker.get_slot("alder")) or metadata_age(tracker.latest_message)


def _about(tracker: Tracker) -> str | None:
    """ "venn" or "familie" when this message is about someone else (the ContextReader's entity)."""
    value = _first_entity(tracker, "om_hvem")
    return value if value in ("venn", "familie") else None


def _resolved(result: RouteResult, kommune: str) -> bool:
    return result.kommune is not None and result.kommune.kommunenummer == kommune


def _known_need(tracker: Tracker) -> str | None:
    need = tracker.get_slot("need")
    return need if vocabulary().is_need(need) else None


def _first_entity(tracker: Tracker, entity: str) -> str | None:
    value = next(tracker.get_latest_entity_values(entity), None)
    return None if value is None else str(value)


def _lang(tracker: Tracker) -> str:
    return reply_lang(tracker.get_slot("language"))


def _safe_lang(tracker: Tracker) -> str:
    try:
        return _lang(tracker)
    except Exception:  # noqa: BLE001 - the fallback must not fail on a broken tracker
        return "nb"


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
