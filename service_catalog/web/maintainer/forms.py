"""Form fields to the catalogue's own models and back, with errors in words a maintainer reads.

A form is shown from a dict of text values (``service_values``, ``rule_values``) and read back into the
same dict, so that a refused form shows exactly what was typed. ``read_service`` turns the posted form
into the data for ``ServiceIn`` / ``ServiceUpdate``; the models do the checking, and ``field_errors``
places each of their complaints next to the field it concerns. Nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from service_catalog.models.routing_rule import RoutingRuleIn
from service_catalog.models.service import ServiceIn
from service_catalog.opening_hours import WEEKDAYS, parse_week

DAY_NAMES = dict(zip(WEEKDAYS, ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"), strict=True))
RANGES_PER_DAY = 2
EMPTY_CLOSED_ROWS = 3
MAX_CLOSED_ROWS = 400
MAX_RULE_DOORS = 8
TEXT_FIELDS = (
    "key", "name", "description", "door", "scope", "covers", "phone", "sms", "chat_url", "url", "email",
    "street", "postal_code", "city", "age_min", "age_max", "cost", "cost_note", "languages", "source",
    "last_verified",
)  # fmt: skip
CHECKBOXES = ("open_24_7", "closed_on_holidays", "referral_required", "anonymous")
OPTIONAL = ("phone", "sms", "chat_url", "url", "email", "cost_note", "age_min", "age_max")
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*$")

# The catalogue's checks speak English (the API's language); maintainers read Norwegian.
MESSAGES = {
    "must be a full https:// address": "Skriv en full adresse som begynner med https://.",
    "not an e-mail address": "Skriv en gyldig e-postadresse.",
    "age_min is above age_max": "«Alder fra» er høyere enn «alder til».",
    "must be plain text: no markup such as < > or script": "Bare vanlig tekst: ingen < >, script eller lignende.",
    "contains control characters or line breaks": "Teksten kan ikke ha linjeskift eller kontrolltegn.",
    "contains a fragment that looks like a database statement": "Teksten inneholder noe som ligner en "
    "databasekommando (for eksempel -- eller ; DROP).",
    "a regional service lists the kommuner it covers in 'covers'": "En regional tjeneste må liste kommunene den "
    "dekker.",
    "'covers' is only for regional services": "«Dekker kommunene» gjelder bare regionale tjenester.",
    "give at least one way to reach the service (phone, sms, chat_url, url, email or address)": "Oppgi minst én "
    "måte å nå tjenesten på: telefon, SMS, chat, nettside, e-post eller adresse.",
    "use an ISO 639 language code such as nb, nn, en, se": "Bruk språkkoder som nb, nn, en, se.",
    "a kommunenummer has four digits": "Et kommunenummer har fire sifre.",
    "use lowercase letters a-z, digits and single hyphens": "Bruk små bokstaver a–z, sifre og enkle bindestreker.",
    "not a Norwegian phone number (3, 5 or 6-digit short number, or 8 digits)": "Ikke et norsk telefonnummer "
    "(kortnummer med 3, 5 eller 6 sifre, eller 8 sifre).",
    "a phone number holds digits, spaces and an optional +47 only": "Et telefonnummer har bare sifre, mellomrom "
    "og eventuelt +47.",
    "10 xx xx xx is the fictional block, allowed only in example data": "10 xx xx xx er den oppdiktede "
    "nummerserien og er bare lov i eksempeldata.",
    "a door is listed twice": "En dør står to ganger.",
}


@dataclass
class FormErrors:
    """Messages by field name; ``form`` holds those about the whole form."""

    by_field: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def norwegian(error: Mapping[str, Any]) -> str:
    """A pydantic error as a Norwegian sentence (unknown texts are passed on as they are)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "Må fylles ut."
    if kind == "string_too_short":
        return f"Må ha minst {ctx.get('min_length')} tegn."
    if kind == "string_too_long":
        return f"Kan ha høyst {ctx.get('max_length')} tegn."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Skriv et helt tall."
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return "Skriv en dato som 2026-11-23."
    if kind == "greater_than_equal":
        return f"Må være minst {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"Kan være høyst {ctx.get('le')}."
    if kind == "string_pattern_mismatch":
        return "Har ikke riktig form."
    if kind in ("enum", "literal_error"):
        return "Velg en av verdiene i listen."
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message.endswith("is not a door code in taxonomy.yml"):
        return "Velg en dør fra listen."
    if message.endswith("is not a need code in taxonomy.yml"):
        return "Velg et behov fra listen."
    if "needs a referral" in message:
        return (
            "Første dør kan ikke være en spesialisttjeneste som krever henvisning (som BUP eller Statens barnehus). "
            "Sett en førstelinjedør, som helsesykepleier eller fastlege, først."
        )
    return MESSAGES.get(message, message)


def field_errors(error: ValidationError, errors: FormErrors, *, closed_rows: list[int] | None = None) -> None:
    """Place each complaint of a service or rule model next to its form field (``form`` when it is about all)."""
    for item in error.errors(include_url=False, include_input=False):
        loc = [p for p in item["loc"] if p != "[key]"]
        name = _field_of(loc, closed_rows or [])
        if name == "form":
            raw = str(item["msg"])
            name = next((f for text, f in _WHOLE_RECORD_FIELDS.items() if text in raw), name)
        errors.add(name, norwegian(item))


# Complaints about a whole record that one field can fix.
_WHOLE_RECORD_FIELDS = {
    "needs a referral": "doors",
    "a door is listed twice": "doors",
    "age_min is above age_max": "age_min",
    "covers": "covers",
}


def _field_of(loc: list[Any], closed_rows: list[int]) -> str:
    if not loc:
        return "form"
    head = str(loc[0])
    if head == "address" and len(loc) > 1:
        return str(loc[1])
    if head == "hours":
        return f"hours-{loc[1]}" if len(loc) > 1 and loc[1] in WEEKDAYS else "hours"
    if head == "closed_dates" and len(loc) > 2 and isinstance(loc[1], int) and loc[1] < len(closed_rows):
        return f"closed-{closed_rows[loc[1]]}-{loc[2]}"
    if head == "doors":
        return "doors"
    return head


# ---------------------------------------------------------------- services


def service_values(data: ServiceIn | None) -> dict[str, Any]:
    """The form's values for a service (empty for a new one)."""
    if data is None:
        values: dict[str, Any] = dict.fromkeys(TEXT_FIELDS, "")
        values.update(cost="free", languages="nb", scope="municipal", hours={}, closed=[])
        return values
    dumped = data.model_dump(mode="json")
    values = {name: _text(dumped.get(name)) for name in TEXT_FIELDS}
    address = dumped.get("address") or {}
    values.update({part: address.get(part, "") for part in ("street", "postal_code", "city")})
    values["covers"] = ", ".join(data.covers)
    values["languages"] = ", ".join(data.languages)
    values.update({name: bool(dumped[name]) for name in CHECKBOXES})
    values["hours"] = {day: [r.split("-", 1) for r in ranges] for day, ranges in data.hours.items()}
    values["closed"] = [{"date": c.date.isoformat(), "note": c.note or ""} for c in data.closed_dates]
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _time(text: str) -> str | None:
    """``8`` / ``8.30`` / ``0830`` / ``08:30`` -> ``08:30``; None when it is not a time of day."""
    match = _TIME.match(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    return f"{hours:02d}:{minutes:02d}"


def typed_values(form: FormData) -> dict[str, Any]:
    """What the maintainer typed, in the shape ``service_values`` gives (for showing the form again)."""
    values: dict[str, Any] = {name: str(form.get(name, "")) for name in TEXT_FIELDS}
    values.update({name: form.get(name) == "on" for name in CHECKBOXES})
    hours: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        ranges = [
            [str(form.get(f"hours-{day}-{i}-opens", "")).strip(), str(form.get(f"hours-{day}-{i}-closes", "")).strip()]
            for i in range(RANGES_PER_DAY)
        ]
        hours[day] = [r for r in ranges if r[0] or r[1]]
    values["hours"] = hours
    closed = []
    for i in range(MAX_CLOSED_ROWS):
        if f"closed-{i}-date" not in form:
            break
        closed.append(
            {
                "date": str(form.get(f"closed-{i}-date", "")).strip(),
                "note": str(form.get(f"closed-{i}-note", "")).strip(),
                "remove": form.get(f"closed-{i}-remove") == "on",
            }
        )
    values["closed"] = closed
    return values


def read_service(values: Mapping[str, Any], errors: FormErrors) -> tuple[dict[str, Any], list[int]]:
    """The service data of the typed values (for ServiceIn / ServiceUpdate), and the form row of each closed date.

    Problems the models cannot place (a time that is not a time, half a range) are added to ``errors``.
    """
    data: dict[str, Any] = {name: values[name].strip() for name in TEXT_FIELDS if name not in ("street", "city")}
    for name in OPTIONAL:
        if not data[name]:
            data[name] = None
    data.update({name: bool(values[name]) for name in CHECKBOXES})
    data["covers"] = _list(values["covers"])
    data["languages"] = _list(values["languages"])
    address = {part: str(values[part]).strip() for part in ("street", "postal_code", "city")}
    data["address"] = address if any(address.values()) else None
    data.pop("postal_code")
    data["hours"] = _read_hours(values["hours"], errors)
    closed, rows = [], []
    for index, row in enumerate(values["closed"]):
        if row.get("remove") or not (row["date"] or row["note"]):
            continue
        closed.append({"date": row["date"] or None, "note": row["note"] or None})
        rows.append(index)
    data["closed_dates"] = closed
    return data, rows


def _list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\s]+", text) if part.strip()]


def _read_hours(typed: Mapping[str, list[list[str]]], errors: FormErrors) -> dict[str, list[str]]:
    hours: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        ranges = []
        for opens_text, closes_text in typed.get(day, []):
            opens, closes = _time(opens_text), _time(closes_text)
            if not (opens_text and closes_text):
                errors.add(f"hours-{day}", f"{DAY_NAMES[day]}: fyll inn både når det åpner og når det stenger.")
            elif opens is None or closes is None:
                errors.add(f"hours-{day}", f"{DAY_NAMES[day]}: skriv klokkeslett som 08:00 eller 15:30.")
            else:
                ranges.append(f"{opens}-{closes}")
        if ranges:
            try:
                parse_week({day: ranges})
            except ValueError as wrong:
                errors.add(f"hours-{day}", f"{DAY_NAMES[day]}: tidene kan ikke brukes ({wrong}).")
            hours[day] = ranges
    return hours


# ---------------------------------------------------------------- routing rules


def rule_values(rule: RoutingRuleIn | Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's values for a routing rule (empty for a new one)."""
    if rule is None:
        return {"need": "", "urgency": "snart", "doors": [], "age_min": "", "age_max": "", "note": ""}
    data = rule.model_dump(mode="json") if isinstance(rule, RoutingRuleIn) else dict(rule)
    return {
        "need": data["need"],
        "urgency": str(data["urgency"]),
        "doors": list(data["doors"]),
        "age_min": _text(data["age_min"]),
        "age_max": _text(data["age_max"]),
        "note": _text(data["note"]),
    }


def typed_rule(form: FormData) -> dict[str, Any]:
    """What was typed into a rule form."""
    values = {name: str(form.get(name, "")).strip() for name in ("need", "urgency", "age_min", "age_max", "note")}
    doors = [str(form.get(f"door-{i}", "")).strip() for i in range(MAX_RULE_DOORS)]
    return {**values, "doors": [d for d in doors if d]}


def read_rule(values: Mapping[str, Any]) -> dict[str, Any]:
    """The rule data of the typed values (for RoutingRuleIn)."""
    return {
        "need": values["need"],
        "urgency": values["urgency"],
        "doors": list(values["doors"]),
        "age_min": values["age_min"] or None,
        "age_max": values["age_max"] or None,
        "note": values["note"] or None,
    }


def describe(value: Any) -> str:
    """An audit value as short readable text."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {describe(v)}" for k, v in value.items()) or "–"
    if isinstance(value, list):
        return ", ".join(describe(v) for v in value)
    return str(value)


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Iterable[tuple[str, str, str]]:
    """(field, before, after) for every field an audit entry changed, in the record's order."""
    old, new = before or {}, after or {}
    names = list(dict.fromkeys([*old, *new]))
    for name in names:
        if old.get(name) != new.get(name):
            yield name, describe(old.get(name)), describe(new.get(name))
