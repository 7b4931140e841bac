"""Checked field types shared by the API, the importer and the database models.

Catalogue text is shown to young people as plain text, so markup, control characters and statement
fragments have no legitimate place in it; they are refused at the edge instead of being stored.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"[<>]|javascript:|&#|\{\{|\{%", re.IGNORECASE)
_STATEMENT = re.compile(
    r"(--|/\*|\*/|;\s*(select|insert|update|delete|drop|alter|create|truncate|union|exec)\b"
    r"|\bunion\s+(all\s+)?select\b|\bor\s+1\s*=\s*1\b|'\s*or\s*'|\bdrop\s+table\b)",
    re.IGNORECASE,
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KOMMUNE = re.compile(r"^[0-9]{4}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


def _clean_text(value: str, *, multiline: bool) -> str:
    value = value.strip()
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise ValueError("contains control characters or line breaks")
    if _MARKUP.search(value):
        raise ValueError("must be plain text: no markup such as < > or script")
    if _STATEMENT.search(value):
        raise ValueError("contains a fragment that looks like a database statement")
    return value


def _line(value: str) -> str:
    return _clean_text(value, multiline=False)


def _paragraph(value: str) -> str:
    return _clean_text(value, multiline=True)


def normalise_phone(value: str, *, allow_fictional: bool = False) -> str:
    """Return a Norwegian phone number in its usual written form, or raise ValueError."""
    raw = value.strip()
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("+47"):
        digits = digits[3:]
    elif digits.startswith("0047"):
        digits = digits[4:]
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError("a phone number holds digits, spaces and an optional +47 only")
    n = len(digits)
    if n == 3 and digits in {"110", "112", "113"}:
        return digits
    if n == 6 and digits.startswith("116"):
        return f"{digits[:3]} {digits[3:]}"
    if n == 5 and digits[0] in "0123456789":
        return digits
    if n == 8 and digits[0] in "2345679":
        return _group8(digits)
    if n == 8 and digits[0] == "8":
        # 800/810/815/820/829 numbers are written 800 33 321
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    if n == 8 and digits.startswith("10") and allow_fictional:
        return _group8(digits)
    if n == 8 and digits.startswith("10"):
        raise ValueError("10 xx xx xx is the fictional block, allowed only in example data")
    raise ValueError("not a Norwegian phone number (3, 5 or 6-digit short number, or 8 digits)")


def _group8(digits: str) -> str:
    if digits[0] in "49":  # mobile numbers are written 3-2-3
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"


def phone_href(phone: str) -> str:
    """The tel: link for a stored phone number (short numbers without a country code)."""
    digits = phone.replace(" ", "")
    return f"tel:{digits}" if len(digits) < 8 else f"tel:+47{digits}"


def sms_href(phone: str) -> str:
    """The sms: link for a stored phone number."""
    return "sms:" + phone_href(phone).removeprefix("tel:")


def _https_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or " " in value:
        raise ValueError("must be a full https:// address")
    if _CONTROL.search(value) or re.search(r"[<>\"'`]", value):
        raise ValueError("contains characters that do not belong in an address")
    return value


def _email(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", value):
        raise ValueError("not an e-mail address")
    return value


def check_slug(value: str) -> str:
    """A service key: lowercase letters a-z, digits and single hyphens."""
    if not _SLUG.fullmatch(value):
        raise ValueError("use lowercase letters a-z, digits and single hyphens")
    return value


def _kommune(value: object) -> str:
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) == 3:
        text = "0" + text  # Oslo's 0301 is often written 301
    if not _KOMMUNE.fullmatch(text):
        raise ValueError("a kommunenummer has four digits")
    return text


def _lang(value: str) -> str:
    value = value.strip().lower()
    if not _LANG.fullmatch(value):
        raise ValueError("use an ISO 639 language code such as nb, nn, en, se")
    return value


Line = Annotated[str, AfterValidator(_line)]
ShortText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_line)]
Description = Annotated[str, Field(max_length=300), AfterValidator(_paragraph)]
Note = Annotated[str, Field(max_length=500), AfterValidator(_paragraph)]
Source = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(_paragraph)]
HttpsUrl = Annotated[str, Field(max_length=500), AfterValidator(_https_url)]
Email = Annotated[str, Field(max_length=200), AfterValidator(_email)]
Slug = Annotated[str, Field(min_length=2, max_length=80), AfterValidator(check_slug)]
Kommunenummer = Annotated[str, BeforeValidator(_kommune)]
LanguageCode = Annotated[str, Field(max_length=3), AfterValidator(_lang)]
Age = Annotated[int, Field(ge=0, le=120)]
# Four ASCII digits (not \d, which also takes other scripts' digits).
PostalCode = Annotated[str, Field(min_length=4, max_length=4, pattern=r"^[0-9]{4}$")]
