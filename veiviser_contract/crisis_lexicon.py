"""Deterministic crisis lexicon matcher: the rules in the header of data/rasa/crisis_lexicon.yml.

Standard library only, in the shared contract, so every process that must recognise crisis words uses this one
implementation: Rasa's crisis gate (bot/components/crisis_gate.py, through bot/components/crisis_lexicon.py), the
benchmark, and the catalogue, which refuses to store a shared message with crisis words (service_catalog/
feedback.py). ``Lexicon`` takes the file's content; each side reads the YAML with its own PyYAML. Section numbers
below refer to the file's header comment.

Readings of the header where it leaves room (chosen for recall, see design/safety.md rule 2):
- Two hits are "distinct" when their spans in the same copy of the text do not overlap, so
  "takk for alt dere" (two overlapping weak phrases) is one hit, while "farvel ... takk for alt" is two.
- Negation window (rule 3): fillers are skipped anywhere in the backward walk, exactly as the rule
  text says. With the current `negation_fillers` (which contain "tenkt") the header's own example
  "har aldri tenkt på å ta livet mitt" is therefore NEGATED (level "maybe", not "urgent"): the
  example predates "tenkt" joining the fillers. The message still gets the crisis line.
- What may raise what: a negated strong hit (rule 3) and a past-lowered strong hit (rule 4) are raised
  only by another hit that is live, i.e. neither negated nor past-lowered; a weak hit (rule 5) is raised
  by any other surviving hit that is not past-lowered, a negated strong one included (recall first).
  A story from last year never makes today's ambiguous phrase urgent. Negated weak hits are dropped.
- A hit that is both negated and past-lowered follows the stricter past rule (only another strong,
  live hit raises it).
- "maybe" from risk context alone (no hit at all) has need None: nothing says which need it is.
- Step 1d keeps combining marks (Unicode category M*) as part of words, so scripts that use them are
  not shredded into fragments; no pattern in the file contains one, so matching is unaffected.
- Apostrophes are also deleted before NFKC, because NFKC turns U+00B4 (´) into a space plus a
  combining accent and "don´t" would otherwise become two words.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["urgent", "maybe"]
Strength = Literal["strong", "weak"]

_FLAGS = re.IGNORECASE | re.UNICODE
_APOSTROPHES = str.maketrans("", "", "'\u2019`\u00b4")
_DROPPED = {0xFE0F: None, 0x200D: None, **dict.fromkeys(range(0x1F3FB, 0x1F400))}
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e"})
_BOUNDARY_CHARS = frozenset(".!?;:,\n")
_RUN3 = re.compile(r"([^\W\d_])\1{2,}")
_TOKEN = re.compile(r"\||[^\s|]+")
_CLAUSE_WORD = re.compile(r"(?<!\w)(?:men|but)(?!\w)")
# Emoji live mostly in these blocks; "So" (other symbol) catches the rest (⚰, ☠, ✂ ...).
_EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1FC00, 0x1FFFD))


def _is_emoji(ch: str) -> bool:
    """True for pictographic characters, which step 1a keeps as characters of their own."""
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES):
        return True
    return unicodedata.category(ch) == "So"


def _base(text: str) -> str:
    """Steps 1a and 1b: NFKC, casefold, drop emoji modifiers, delete apostrophes."""
    text = text.translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.translate(_DROPPED).translate(_APOSTROPHES)


def _shorten_runs(text: str, keep: int) -> str:
    """Step 1c: letter runs of three or more become `keep` letters."""
    return _RUN3.sub(lambda m: m.group(1) * keep, text)


def _clause_marks(text: str) -> str:
    """Step 1d: clause punctuation -> "|", other non-word, non-emoji characters -> space (same length)."""
    out = []
    for ch in text:
        if ch in _BOUNDARY_CHARS:
            out.append("|")
        elif ch.isalnum() or ch.isspace() or unicodedata.category(ch)[0] == "M" or _is_emoji(ch):
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


def fold(text: str) -> str:
    """Step 1e: ASCII folding of the Norwegian and a few other letters."""
    return text.translate(_FOLD)


def normalise_variants(text: str) -> list[tuple[str, str]]:
    """The four normalised copies of a message (run variant x folding), named for reports."""
    base = _base(text)
    copies: list[tuple[str, str]] = []
    for keep in (2, 1):
        marked = _clause_marks(_shorten_runs(base, keep))
        copies.append((f"runs{keep}", marked))
        copies.append((f"runs{keep}+folded", fold(marked)))
    return copies


def _normalise_phrase(phrase: str, keep: int, folded: bool) -> str:
    """Steps 1a-c and, for the folded copy, 1e applied to a lexicon phrase."""
    out = _shorten_runs(_base(phrase), keep)
    out = " ".join(out.split())
    return fold(out) if folded else out


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    """Section 2: whole words joined by whitespace; emoji ends match anywhere."""
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    head = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    tail = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return re.compile(head + body + tail, _FLAGS)


@dataclass(frozen=True)
class _Matcher:
    """One phrase or regex, compiled for each of the four copies (key: (keep, folded))."""

    source: str
    compiled: dict[tuple[int, bool], re.Pattern[str]]
    # A literal the text must contain for a phrase to have a chance; skips most regex scans.
    needles: dict[tuple[int, bool], str]

    def finditer(self, text: str, keep: int, folded: bool) -> Iterable[re.Match[str]]:
        """Non-empty matches in one copy of the text."""
        needle = self.needles.get((keep, folded))
        if needle is not None and needle not in text:
            return ()
        return (m for m in self.compiled[(keep, folded)].finditer(text) if m.end() > m.start())


def _phrase_matcher(phrase: str) -> _Matcher:
    """Compile a phrase for the four copies."""
    compiled: dict[tuple[int, bool], re.Pattern[str]] = {}
    needles: dict[tuple[int, bool], str] = {}
    for keep in (2, 1):
        for folded in (False, True):
            norm = _normalise_phrase(phrase, keep, folded)
            compiled[(keep, folded)] = _phrase_regex(norm)
            needles[(keep, folded)] = max(norm.split(), key=len) if norm.split() else ""
    return _Matcher(source=phrase, compiled=compiled, needles=needles)


def _regex_matcher(pattern: str) -> _Matcher:
    """A regex is applied as written to every copy."""
    rx = re.compile(pattern, _FLAGS)
    return _Matcher(source=pattern, compiled={(k, f): rx for k in (2, 1) for f in (False, True)}, needles={})


@dataclass(frozen=True)
class _Pattern:
    """A lexicon entry with its need and strength."""

    need: str
    strength: Strength
    kind: Literal["phrase", "regex"]
    matcher: _Matcher
    now_raises: bool


@dataclass(frozen=True)
class MatchedSpan:
    """One lexicon hit as reported: which words, for which need, and how it was judged."""

    need: str
    text: str
    strength: Strength
    level: Level
    negated: bool
    past: bool
    pattern: str
    kind: Literal["phrase", "regex"]
    copy: str
    start: int
    end: int


@dataclass(frozen=True)
class CrisisHit:
    """The lexicon's verdict for one message (level "urgent" or "maybe"; "none" is returned as None)."""

    level: Level
    need: str | None
    needs: tuple[str, ...]
    matched: tuple[MatchedSpan, ...]
    context: tuple[str, ...] = field(default=())

    @property
    def urgent(self) -> bool:
        """Whether the crisis rule applies (numbers first); "maybe" only adds the short crisis line."""
        return self.level == "urgent"

    @property
    def words(self) -> tuple[str, ...]:
        """The matched words of the winning level, in the order found, without repeats."""
        seen: dict[str, None] = {}
        for span in self.matched:
            if span.level == self.level:
                seen.setdefault(span.text, None)
        return tuple(seen)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form, used for the NLU message's `crisis` key and the routing lab."""
        return {
            "level": self.level,
            "need": self.need,
            "needs": list(self.needs),
            "words": list(self.words),
            "matched": [
                {
                    "need": s.need,
                    "text": s.text,
                    "strength": s.strength,
                    "level": s.level,
                    "negated": s.negated,
                    "past": s.past,
                    "pattern": s.pattern,
                }
                for s in self.matched
            ],
            "context": list(self.context),
        }


@dataclass
class _Hit:
    """A raw hit inside one copy, before levels are decided."""

    pattern: _Pattern
    start: int
    end: int
    text: str
    negated: bool = False
    past: bool = False
    level: Level | None = None

    @property
    def live(self) -> bool:
        """Neither negated nor past-lowered: may raise other hits."""
        return not self.negated and not self.past


def _spans(matchers: Sequence[_Matcher], text: str, keep: int, folded: bool) -> list[tuple[int, int, str]]:
    """All spans of a list of marker phrases/regexes in one copy."""
    out: list[tuple[int, int, str]] = []
    for matcher in matchers:
        out.extend((m.start(), m.end(), matcher.source) for m in matcher.finditer(text, keep, folded))
    return out


@dataclass(frozen=True)
class _Extent:
    """Where a set of spans lies, enough to ask in O(1) whether one of them avoids a given span."""

    min_end: int
    max_start: int

    @classmethod
    def of(cls, spans: Iterable[tuple[int, int, str]]) -> _Extent:
        """Summarise spans; an empty set never lies outside anything."""
        min_end, max_start = 1 << 62, -1
        for start, end, _ in spans:
            min_end = min(min_end, end)
            max_start = max(max_start, start)
        return cls(min_end, max_start)

    def outside(self, start: int, end: int) -> bool:
        """Whether some span does not overlap [start, end) (lies wholly before or after it)."""
        return self.min_end <= start or self.max_start >= end


class _Clauses:
    """Clause boundaries of rule 4: each "|" and the words "men"/"but"."""

    def __init__(self, text: str) -> None:
        cuts = sorted(
            [(i, i + 1) for i, ch in enumerate(text) if ch == "|"] + [m.span() for m in _CLAUSE_WORD.finditer(text)]
        )
        self._starts = [c[0] for c in cuts]
        self._ends = sorted(c[1] for c in cuts)
        self._length = len(text)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The clause (or run of clauses) that holds the span [start, end)."""
        i = bisect.bisect_right(self._ends, start)
        clause_start = self._ends[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self._starts, end)
        clause_end = self._starts[j] if j < len(self._starts) else self._length
        return clause_start, clause_end


def _max_disjoint(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Largest set of non-overlapping spans (greedy by end), for counting distinct items."""
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s[1], s[0])):
        if span[0] >= last_end:
            chosen.append(span)
            last_end = span[1]
    return chosen


class Lexicon:
    """A loaded crisis lexicon; `check(text)` applies every rule of the file's header."""

    def __init__(self, data: dict[str, Any], source: str = "<dict>") -> None:
        self.source = source
        self.priority: tuple[str, ...] = tuple(data["priority"])
        patterns: list[_Pattern] = []
        for group in data["patterns"]:
            need = group["need"]
            if need not in self.priority:
                raise ValueError(f"{source}: need {need!r} is not in priority")
            now_raises = bool(group.get("now_raises", True))
            for key, strength, kind in (
                ("phrases", "strong", "phrase"),
                ("regex", "strong", "regex"),
                ("maybe_phrases", "weak", "phrase"),
                ("maybe_regex", "weak", "regex"),
            ):
                for item in dict.fromkeys(str(x) for x in group.get(key) or ()):
                    matcher = _phrase_matcher(item) if kind == "phrase" else _regex_matcher(item)
                    patterns.append(_Pattern(need, strength, kind, matcher, now_raises))  # type: ignore[arg-type]
        self.patterns: tuple[_Pattern, ...] = tuple(patterns)

        def phrases(key: str) -> list[_Matcher]:
            return [_phrase_matcher(str(x)) for x in dict.fromkeys(data.get(key) or ())]

        def regexes(key: str) -> list[_Matcher]:
            return [_regex_matcher(str(x)) for x in dict.fromkeys(data.get(key) or ())]

        self.now_markers = phrases("now_markers") + regexes("now_markers_regex")
        self.recent_markers = phrases("recent_markers") + regexes("recent_markers_regex")
        self.risk_context = phrases("risk_context")
        self.past_markers = [re.compile(str(p), _FLAGS) for p in data.get("past_markers") or ()]
        self.exclusions = [re.compile(str(p), _FLAGS) for p in data.get("exclusions") or ()]
        self.negations = {
            folded: {_normalise_phrase(str(w), 2, folded) for w in data.get("negations") or ()}
            for folded in (False, True)
        }
        self.fillers = {
            folded: {_normalise_phrase(str(w), 2, folded) for w in data.get("negation_fillers") or ()}
            for folded in (False, True)
        }
        self.checks: tuple[dict[str, Any], ...] = tuple(data.get("checks") or ())
        # True only if some phrase itself has a run of three letters, so the run variants compile differently.
        every = [p.matcher for p in self.patterns] + self.now_markers + self.recent_markers + self.risk_context
        self._keep_matters = any(
            m.compiled[(2, f)].pattern != m.compiled[(1, f)].pattern for m in every for f in (False, True)
        )

    def check(self, text: str) -> CrisisHit | None:
        """Classify one message: a CrisisHit ("urgent"/"maybe") or None ("none"). Never raises on text."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        results: list[tuple[str, list[_Hit], list[tuple[int, int, str]]]] = []
        done: set[tuple[str, bool]] = set()
        for name, copy in normalise_variants(text):
            keep = 2 if name.startswith("runs2") else 1
            folded = name.endswith("folded")
            # Without letter runs the two run variants are the same text: analysing it twice changes nothing.
            if not self._keep_matters and (copy, folded) in done:
                continue
            done.add((copy, folded))
            hits, context = self._analyse(copy, keep, folded)
            results.append((name, hits, context))
        return self._combine(results)

    def _analyse(self, text: str, keep: int, folded: bool) -> tuple[list[_Hit], list[tuple[int, int, str]]]:
        """Sections 2-5 on one normalised copy: hits with their levels, plus risk-context spans."""
        text = self._blank_exclusions(text)
        flat = text.replace("|", " ")

        hits: list[_Hit] = []
        for pattern in self.patterns:
            for m in pattern.matcher.finditer(flat, keep, folded):
                hits.append(_Hit(pattern, m.start(), m.end(), m.group(0).strip()))
        context = _spans(self.risk_context, flat, keep, folded)
        if not hits:
            return hits, context

        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
        token_starts = [t[0] for t in tokens]
        clauses = _Clauses(text)
        past_cache: dict[tuple[int, int], bool] = {}
        for hit in hits:
            hit.negated = self._negated(hit.start, tokens, token_starts, folded)
            bounds = clauses.around(hit.start, hit.end)
            if bounds not in past_cache:
                clause = flat[bounds[0] : bounds[1]]
                past_cache[bounds] = any(rx.search(clause) for rx in self.past_markers)
            hit.past = past_cache[bounds]
        # Rule 3: a negated weak hit is dropped.
        hits = [h for h in hits if not (h.negated and h.pattern.strength == "weak")]

        markers = {
            "now": _Extent.of(_spans(self.now_markers, flat, keep, folded)),
            "recent": _Extent.of(_spans(self.recent_markers, flat, keep, folded)),
            "context": _Extent.of(context),
            # Hits that may raise others (rules 3-5), by kind.
            "live_strong": _Extent.of(
                [(h.start, h.end, "") for h in hits if h.live and h.pattern.strength == "strong"]
            ),
            "live": _Extent.of([(h.start, h.end, "") for h in hits if h.live]),
            "not_past": _Extent.of([(h.start, h.end, "") for h in hits if not h.past]),
        }
        for hit in hits:
            hit.level = self._level(hit, markers)
        return hits, context

    def _blank_exclusions(self, text: str) -> str:
        """Section 2: overwrite every span an exclusion matches with spaces (same length), in file order."""
        for rx in self.exclusions:
            spans = [m.span() for m in rx.finditer(text.replace("|", " ")) if m.end() > m.start()]
            if not spans:
                continue
            pieces: list[str] = []
            pos = 0
            for start, end in spans:
                pieces.append(text[pos:start])
                pieces.append(" " * (end - start))
                pos = end
            pieces.append(text[pos:])
            text = "".join(pieces)
        return text

    def _negated(self, start: int, tokens: list[tuple[int, int, str]], starts: list[int], folded: bool) -> bool:
        """Rule 3: a negation among the (at most 2) non-filler tokens before the hit, within its clause."""
        idx = bisect.bisect_right(starts, start) - 1
        first = idx if idx >= 0 and tokens[idx][1] > start else idx + 1
        negations, fillers = self.negations[folded], self.fillers[folded]
        counted = 0
        for i in range(first - 1, -1, -1):
            token = tokens[i][2]
            if token == "|":
                return False
            if token in fillers:
                continue
            if token in negations:
                return True
            counted += 1
            if counted == 2:
                return False
        return False

    @staticmethod
    def _level(hit: _Hit, markers: dict[str, _Extent]) -> Level:
        """Sections 3-5 for one hit, given the markers and the other hits of the same copy."""
        if hit.pattern.strength == "strong":
            if hit.past:
                # Rule 4: only another (live) strong hit raises a past story.
                return "urgent" if markers["live_strong"].outside(hit.start, hit.end) else "maybe"
            if hit.negated:
                raised = markers["context"].outside(hit.start, hit.end) or markers["live"].outside(hit.start, hit.end)
                return "urgent" if raised else "maybe"
            return "urgent"
        # Weak (negated weak hits were dropped already).
        if hit.past:
            return "maybe"
        if hit.pattern.now_raises and markers["now"].outside(hit.start, hit.end):
            return "urgent"
        if hit.pattern.need == "overgrep_nylig" and markers["recent"].outside(hit.start, hit.end):
            return "urgent"
        if markers["context"].outside(hit.start, hit.end):
            return "urgent"
        # A second distinct hit: any surviving hit that is not itself a past story.
        if markers["not_past"].outside(hit.start, hit.end):
            return "urgent"
        return "maybe"

    def _combine(self, results: list[tuple[str, list[_Hit], list[tuple[int, int, str]]]]) -> CrisisHit | None:
        """Section 5: the highest level over the four copies, its needs by priority and its words."""
        all_hits = [(name, h) for name, hits, _ in results for h in hits if h.level is not None]
        for level in ("urgent", "maybe"):
            winners = [(name, h) for name, h in all_hits if h.level == level]
            if not winners:
                continue
            rank = {need: i for i, need in enumerate(self.priority)}
            needs = tuple(sorted({h.pattern.need for _, h in winners}, key=lambda n: rank.get(n, len(rank))))
            matched: dict[tuple[str, str, str], MatchedSpan] = {}
            # Unfolded copies come first, so reported words keep their æøå.
            for name, h in all_hits:
                key = (h.pattern.need, str(h.level), fold(h.text))
                if key in matched:
                    continue
                matched[key] = MatchedSpan(
                    need=h.pattern.need,
                    text=h.text,
                    strength=h.pattern.strength,
                    level=h.level,  # type: ignore[arg-type]
                    negated=h.negated,
                    past=h.past,
                    pattern=h.pattern.matcher.source,
                    kind=h.pattern.kind,
                    copy=name,
                    start=h.start,
                    end=h.end,
                )
            spans = tuple(sorted(matched.values(), key=lambda s: (s.level != level, s.start)))
            context = self._context_words(results)
            return CrisisHit(level=level, need=needs[0], needs=needs, matched=spans, context=context)
        # No hit at all: two or more distinct risk-context items still give "maybe".
        if any(len(_max_disjoint(ctx)) >= 2 for _, _, ctx in results):
            return CrisisHit(level="maybe", need=None, needs=(), matched=(), context=self._context_words(results))
        return None

    @staticmethod
    def _context_words(results: list[tuple[str, list[_Hit], list[tuple[int, int, str]]]]) -> tuple[str, ...]:
        """The risk-context items found in any copy, as written in the lexicon."""
        seen: dict[str, None] = {}
        for _, _, ctx in results:
            for _, _, source in sorted(ctx):
                seen.setdefault(source, None)
        return tuple(seen)
