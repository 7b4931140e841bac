"""Danger words in the languages Veiviser does not answer in (data/rasa/crisis_lexicon_other.yml).

Standard library only, in the shared contract: Rasa's crisis gate and the catalogue (shared messages) use this
one implementation, each reading the YAML with its own PyYAML. A message in Polish, Arabic, Tigrinya ... that
says "my father hits me", "I want to die" or "I was raped" must get the urgent reply, in Norwegian and English,
even though the classifier cannot read it. The file's header states the matching rules this module implements:
- text and entries are normalised the same way (NFKC, casefold, diacritics removed, Arabic letter variants
  unified, punctuation to spaces), so "chce umrzec" matches the entry "chcę umrzeć";
- a word ending in "*" matches any word that starts with it;
- the words of an entry appear in order, with at most ``MAX_GAP`` other words between two of them;
- for languages written without spaces (``spaces: false``) entries are plain substrings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_GAP = 2

# Which danger wins when a message names several (the order of crisis_lexicon.yml's priority).
PRIORITY = ("overdose", "selvskading_akutt", "vold_pagar", "overgrep_nylig", "selvmordstanker", "akutt_fare")

_LETTERS = str.maketrans(
    {
        "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "ß": "ss", "ı": "i", "œ": "oe", "ŀ": "l", "þ": "th",
        # Arabic-script variants people type interchangeably
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي",
        "ؤ": "و", "ئ": "ي", "ک": "ك", "ہ": "ه", "ە": "ه", "ـ": None,
    }
)  # fmt: skip
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC, casefold, special letters, diacritics and Arabic vowel marks dropped, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    # Combining marks are diacritics in Latin/Cyrillic/Arabic script; Ethiopic and Thai vowels are letters.
    kept = "".join(ch for ch in decomposed if not (unicodedata.category(ch) == "Mn" and _droppable(ch)))
    kept = unicodedata.normalize("NFC", kept)
    return " ".join(_WORD.findall(kept))


def _droppable(mark: str) -> bool:
    code = ord(mark)
    # Thai (0E00-0E7F) and the Indic scripts keep their vowel signs: they carry the word.
    return not (0x0E00 <= code <= 0x0E7F or 0x0900 <= code <= 0x0DFF)


@dataclass(frozen=True)
class ForeignHit:
    """A danger entry found: in which language, for which urgent need, and the entry as written."""

    language: str
    need: str
    entry: str

    def as_dict(self) -> dict[str, str]:
        """The form the parse output and the routing lab show (the entry, never the message text)."""
        return {"language": self.language, "need": self.need, "entry": self.entry}


@dataclass(frozen=True)
class _Entry:
    language: str
    need: str
    source: str
    pattern: Any  # re.Pattern over the normalised text, or _Substring
    rank: int  # (need priority, place in the file): the order entries are tried in
    key: str | None  # the first letters of the first word, for the index; None for substring entries


# An entry is tried only when some word of the message starts with the first KEY_LETTERS letters of its first
# word: a few dozen regexes per message instead of thousands (the file has about 3,000 entries).
KEY_LETTERS = 4


class ForeignLexicon:
    """A compiled crisis_lexicon_other.yml; ``check`` finds the most urgent danger entry in a message."""

    def __init__(self, data: dict[str, Any], source: str = "<dict>") -> None:
        self.source = source
        rank = {need: i for i, need in enumerate(PRIORITY)}
        entries: list[_Entry] = []
        for code, language in (data.get("languages") or {}).items():
            spaces = bool(language.get("spaces", True))
            for need, items in (language.get("needs") or {}).items():
                if need not in PRIORITY:
                    raise ValueError(f"{source}: {code}: {need!r} is not an urgent need")
                for item in dict.fromkeys(str(x) for x in items or ()):
                    pattern = _compile(item, spaces)
                    if pattern is not None:
                        key = _key(item) if spaces else None
                        order = rank[need] * 1_000_000 + len(entries)
                        entries.append(_Entry(str(code), need, item, pattern, order, key))
        self.entries = tuple(sorted(entries, key=lambda e: e.rank))
        self.languages = frozenset(e.language for e in self.entries)
        self._by_key: dict[str, list[_Entry]] = {}
        for entry in self.entries:
            if entry.key is not None:
                self._by_key.setdefault(entry.key, []).append(entry)
        self._substrings = [entry for entry in self.entries if entry.key is None]

    def check(self, text: str) -> ForeignHit | None:
        """The first danger entry (by need priority) found in ``text``, or None. Never raises on text."""
        if not isinstance(text, str) or not text.strip():
            return None
        normalised = " " + normalise(text) + " "
        candidates = list(self._substrings)
        for word in set(normalised.split()):
            for letters in range(1, KEY_LETTERS + 1):
                candidates += self._by_key.get(word[:letters], ())
        if not candidates:
            return None
        squeezed = normalised.replace(" ", "")
        for entry in sorted(set(candidates), key=lambda e: e.rank):
            target = squeezed if entry.key is None else normalised
            if entry.pattern.search(target):
                return ForeignHit(entry.language, entry.need, entry.source)
        return None


# A flag bit Python's re does not use, to mark substring entries of languages written without spaces.
_NO_SPACES = 1 << 30


class _Substring:
    """A substring test with the re.Pattern interface this module uses."""

    flags = _NO_SPACES

    def __init__(self, needle: str) -> None:
        self.needle = needle

    def search(self, text: str) -> bool:
        return self.needle in text


def _key(entry: str) -> str | None:
    """The index key of an entry: the first ``KEY_LETTERS`` letters of its first normalised word."""
    first = normalise(entry.split()[0].rstrip("*")) if entry.split() else ""
    return first.split()[0][:KEY_LETTERS] if first.split() else None


def _compile(entry: str, spaces: bool) -> Any:
    """An entry as a pattern over normalised text (words in order, small gaps), or a substring test."""
    if not spaces:
        needle = normalise(entry.replace("*", "")).replace(" ", "")
        return _Substring(needle) if needle else None
    parts: list[str] = []
    for word in entry.split():
        body = normalise(word.rstrip("*")).split()
        if not body:
            continue
        parts += [re.escape(piece) for piece in body]
        if word.endswith("*"):
            parts[-1] += r"\w*"
    if not parts:
        return None
    gap = rf"(?:\s+\w+){{0,{MAX_GAP}}}\s+"
    return re.compile(r"(?<=\s)" + gap.join(parts) + r"(?=\s)")
