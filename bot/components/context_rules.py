"""What a young person says about themself in passing: age, municipality, and whether it is about a friend.

Pure Python (standard library only), so the Rasa component, the routing lab and the tests share it. The
classifier reads the need; these rules read the facts that change the doors (principle 3: never ask what
the young person already said). Every rule favours precision: a missed age only costs one question later,
a wrong age gives the wrong doors.

- Age: "jeg er 22", "eg er 15 år", "15 år og ...", "15åring", "i'm 16", "16 years old", "16yo", "går i 9.
  klasse", "vg2", "i 10. trinn". Never "i 15 år" (for fifteen years), "for 16 år siden" (ago), "15 min",
  "klokka 15". Only ages 8 to 30 are kept (actions/age.py has the same range).
- Municipality: a name from data/municipalities/kommuner.csv after "bor i", "bur på", "fra", "frå", "live
  in", "from", or "i/på/in" + a capitalised name; or the whole message is a name. Names that are also common
  words ("sola", "heim", "stad", "time", "hole") count only after "bor i" and the like, or capitalised.
- Friend or family: "vennen min", "venninna mi", "kompisen min", "my friend", "for a friend" -> venn;
  "søstera mi", "lillebroren min", "my brother" -> familie. Only when the message is about them (the first
  such phrase comes before any "jeg/eg/i" complaint is not checked: the caller decides what to do with it).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
KOMMUNER_CSV = REPO_ROOT / "data" / "municipalities" / "kommuner.csv"

PLAUSIBLE_AGES = range(8, 31)

# Norwegian school years: 1. klasse at 6, so 8. klasse is 13, 10. klasse 15; vg1 16, vg3 18.
_GRADE_AGE = {grade: grade + 5 for grade in range(5, 11)}
_VG_AGE = {1: 16, 2: 17, 3: 18}
_ORDINAL_GRADES = {
    "femte": 5, "sjette": 6, "sjuende": 7, "syvende": 7, "åttende": 8, "attende": 8, "niende": 9,
    "tiende": 10, "sjuande": 7, "åttande": 8, "niande": 9, "tiande": 10,
}  # fmt: skip
_NUMBER_WORDS = {
    "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "trettan": 13, "fjorten": 14,
    "fjortan": 14, "femten": 15, "femtan": 15, "seksten": 16, "sekstan": 16, "sytten": 17, "søtten": 17,
    "syttan": 17, "atten": 18, "attan": 18, "nitten": 19, "nittan": 19, "tjue": 20, "tjuge": 20, "tyve": 20,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_NUM = r"(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
# What must not follow an age number: units, clock times, "years ago" / "år siden".
_NOT_AGE_AFTER = (
    r"(?!\s*(?:min|minutt|minutter|minutes|mins|timer|timar|hours|hrs|h\b|kg|kilo|cm|km|prosent|%|kr|"
    r"kroner|dager|dagar|days|uker|veker|weeks|måneder|månader|months|ganger|gonger|times|stk|år\s+siden|"
    r"år\s+sidan|years?\s+ago|yrs?\s+ago|år\s+til|klasse|trinn|grade|\.\s*klasse|\.\s*trinn))"
)
_AGE_PATTERNS = (
    # "jeg er 22", "eg er 15 år", "e 16", "er 17 og ...", "i'm 16", "i am 16", "im 19"
    re.compile(
        r"(?<!\w)(?:jeg|eg|æ|e|i|je|jæ)?\s*(?:er|e|am|m)\s+(?:bare\s+|berre\s+|only\s+|just\s+|snart\s+)?"
        + _NUM
        + r"(?:\s*(?:år|years?|yrs?|yo|y/o|åring))?(?!\w)"
        + _NOT_AGE_AFTER,
        re.IGNORECASE,
    ),
    # "15 år og ...", "15 år gammel", "16 years old", "16yo", "15åring", "(16)" at the start
    re.compile(
        r"(?<![\w.,:])(?<!i\s)(?<!in\s)(?<!for\s)" + _NUM + r"\s*(?:år\s+gam(?:mel|mal|le)|år(?=\s*(?:og|,|\.|$|\s+og|"
        r"\s+jente|\s+gutt|\s+gammel))|years?\s+old|yrs?\s+old|yo\b|y/o|åring|-?åring|-year-old)",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*\(?\s*" + _NUM + r"\s*\)?\s*[,.:;!-]", re.IGNORECASE),
    # the whole message is an age: "15", "femten", "16 år" (the answer to "how old are you?")
    re.compile(r"^\s*" + _NUM + r"\s*(?:år|years?|yrs?|yo|åring)?\s*[.!]?\s*$", re.IGNORECASE),
    # "fyller 17", "turning 16", "blir 18 snart"
    re.compile(r"(?<!\w)(?:fyller|fyl|turning|turned|blei|ble|blir)\s+" + _NUM + r"(?!\w)" + _NOT_AGE_AFTER, re.I),
)
_GRADE = re.compile(
    r"(?<!\w)(?:går\s+i|gjeng\s+i|går\s+på|in|i|på)\s+(?:(?P<g>\d{1,2})\s*\.?\s*(?:klasse|klassen|trinn|trinnet|"
    r"grade|th\s+grade)|(?P<o>femte|sjette|sjuende|syvende|sjuande|åttende|attende|åttande|niende|niande|tiende|"
    r"tiande)\s+(?:klasse|trinn)|(?P<eng>\d{1,2})(?:st|nd|rd|th)\s+grade)",
    re.IGNORECASE,
)
_VG = re.compile(r"(?<!\w)(?:vg|vgs|vk)\s*(?P<v>[123])(?!\d)", re.IGNORECASE)
_VG_WORDS = re.compile(
    r"(?P<w>første|fyrste|andre|tredje|første året|siste)\s+(?:året\s+)?(?:på|på\s+vidaregåande|på\s+videregående|"
    r"på\s+vgs)\s*(?:videregående|vidaregåande|vgs)",
    re.IGNORECASE,
)

# Who the message is about besides the writer. Possessive after the noun is the Norwegian order.
_FRIEND = re.compile(
    r"(?<!\w)(?:(?:beste)?venn(?:en|inna|innen|inne|ina|ane)?\s+(?:min|mi|mitt)|(?:beste)?vennin(?:na|nen|ne)\s+mi[n]?|"
    r"kompis(?:en)?\s+min|kamerat(?:en)?\s+min|bestis(?:en)?\s+min|bestevenn(?:en|inna)?|bestevenninn(?:a|en|e)|"
    r"vennane\s+mine|vennene\s+mine|ein\s+ven|en\s+venn|ei\s+venninne|en\s+venninne|ein\s+venn|"
    r"guten|vennen\s+vår|en\s+i\s+klassen(?:\s+min)?|ei\s+i\s+klassen|ein\s+i\s+klassen|klassekamerat|"
    r"(?:my|a)\s+(?:best\s+)?(?:friend|mate|bestie|classmate|bf|gf)|(?:for|asking\s+for)\s+a\s+friend|"
    r"min\s+venn|mi\s+venninne|min\s+kompis)(?!\w)",
    re.IGNORECASE,
)
_FAMILY = re.compile(
    r"(?<!\w)(?:(?:lille|store|stor|veslе)?(?:søster|søstera|søsteren|syster|systera|bror|broren|broder|bror'n)"
    r"\s+(?:min|mi)|(?:lillesøster|storesøster|lillebror|storebror|lillesøstera|storesøstera|lillebroren|"
    r"storebroren|veslesyster|veslebror)(?:\s+(?:min|mi))?|(?:my)\s+(?:little\s+|big\s+|older\s+|younger\s+)?"
    r"(?:sister|brother|sibling|cousin)|kusin(?:a|en|e)?\s+mi[n]?|fetter(?:en)?\s+min)(?!\w)",
    re.IGNORECASE,
)

# A municipality named after one of these is meant as a place, in any case.
_PLACE_STRONG = (
    r"(?:bor|bur|bo|bu|budd|lever|hører\s+til|høyrer\s+til|kommer\s+fra|kjem\s+frå|er\s+fra|er\s+frå|fra|frå|"
    r"live|lives|living|i\s+am\s+from|i'm\s+from|im\s+from|from|flytta\s+til|flyttet\s+til|moved\s+to)"
    r"(?:\s+(?:i|på|in|til|to))?\s+"
)
_PLACE_WEAK = r"(?:i|på|in|at|near|ved|nær|rundt)\s+"
# Municipality names that are also everyday words: only after _PLACE_STRONG, or capitalised.
_COMMON_WORD_NAMES = frozenset(
    """sola heim stad time hole moss gran lund nes vik strand fjord grue ål os bø sel lom hol gol flå leka
    vang lier kinn hå tinn sande nome osen etne vega rana alta tana aure sula bokn råde åmot vågå øyer
    øygarden marker fitjar frosta selje hitra frøya lesja skjåk evje""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Found:
    """A fact read from the text: its value and where it stands."""

    value: str
    start: int
    end: int


@dataclass(frozen=True)
class MessageContext:
    """Everything this module reads from one message."""

    age: Found | None
    kommune: Found | None
    about: Found | None  # value "venn" or "familie"


def read_context(text: str) -> MessageContext:
    """Read age, municipality and who it is about from one message; never raises."""
    if not isinstance(text, str) or not text.strip() or text.startswith("/"):
        return MessageContext(None, None, None)
    return MessageContext(read_age(text), read_kommune(text), read_about(text))


def read_age(text: str) -> Found | None:
    """The age the writer gives for themself, or None."""
    lowered = unicodedata.normalize("NFC", text)
    for match in _GRADE.finditer(lowered):
        grade = match.group("g") or match.group("eng")
        number = int(grade) if grade else _ORDINAL_GRADES.get(match.group("o").lower(), 0)
        if number in _GRADE_AGE:
            return Found(str(_GRADE_AGE[number]), match.start(), match.end())
    for match in _VG.finditer(lowered):
        return Found(str(_VG_AGE[int(match.group("v"))]), match.start(), match.end())
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(lowered):
            number = _number(match.group("n"))
            if number in PLAUSIBLE_AGES:
                return Found(str(number), match.start("n"), match.end("n"))
    return None


def read_about(text: str) -> Found | None:
    """ "venn" when the message is about a friend, "familie" for a sibling or cousin; None otherwise."""
    friend = _FRIEND.search(text)
    family = _FAMILY.search(text)
    first = min((m for m in (friend, family) if m), key=lambda m: m.start(), default=None)
    if first is None:
        return None
    return Found("venn" if first is friend else "familie", first.start(), first.end())


def read_kommune(text: str) -> Found | None:
    """A municipality named in the text (its name as kommuner.csv writes it), or None."""
    names = _kommune_names()
    stripped = text.strip().strip(".!?")
    whole = names.get(_key(stripped))
    if whole is not None:
        start = text.find(stripped)
        return Found(whole, start, start + len(stripped))
    for pattern, strong in _place_patterns():
        for match in pattern.finditer(text):
            found = _name_after(text, match.end(), names)
            if found is None:
                continue
            written, start, end = found
            common = _key(written) in _COMMON_WORD_NAMES
            if not strong and (common or not written[:1].isupper()) and not _long_and_distinct(written):
                continue
            if strong and common and not written[:1].isupper() and not _strong_common_ok(match.group(0)):
                continue
            return Found(names[_key(written)], start, end)
    return None


def _strong_common_ok(prefix: str) -> bool:
    # "bor i sola" is Sola; "kjem frå heim" is not: only "bor/bur/live" make a lowercase common word a place.
    return bool(re.match(r"(?:bor|bur|bo|bu|live|lives|living)\b", prefix, re.IGNORECASE))


def _name_after(text: str, position: int, names: dict[str, str]) -> tuple[str, int, int] | None:
    """The longest municipality name of up to four words starting at ``position`` ("Nordre Follo")."""
    words = list(_WORD.finditer(text, position, min(len(text), position + 60)))
    if not words or text[position : words[0].start()].strip():
        return None
    for count in range(min(4, len(words)), 0, -1):
        start, end = words[0].start(), words[count - 1].end()
        written = text[start:end]
        if _key(written) in names:
            return written, start, end
    return None


def _long_and_distinct(written: str) -> bool:
    # Lowercase "i bergen", "i tromsø": long names that are no everyday word are places even uncapitalised.
    return len(written) >= 5 and _key(written) not in _COMMON_WORD_NAMES


@lru_cache(maxsize=1)
def _place_patterns() -> tuple[tuple[re.Pattern[str], bool], ...]:
    # The prefix only; _name_after reads the name that follows it.
    strong = re.compile(r"(?<!\w)" + _PLACE_STRONG, re.IGNORECASE)
    weak = re.compile(r"(?<!\w)" + _PLACE_WEAK, re.IGNORECASE)
    return ((strong, True), (weak, False))


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().replace("-", " - ").split())


@lru_cache(maxsize=1)
def _kommune_names() -> dict[str, str]:
    """Every way the file lets one write a municipality (lowercased) -> its name as written there."""
    names: dict[str, str] = {}
    if not KOMMUNER_CSV.exists():
        return names
    with KOMMUNER_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kommunenummer"] == "9999":
                continue  # the invented example is chosen by the website, never by what someone types
            name = row["navn"]
            bare = re.sub(r"\s*\(.*\)$", "", name)
            for variant in (name, bare, *filter(None, (row.get("andre_navn") or "").split("|"))):
                names.setdefault(_key(variant), name)
    return names


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text.lower(), -1)
