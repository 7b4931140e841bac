"""Finding a municipality from what people type: a number, a name, a name without æøå, or a typo.

"Bærum", "baerum", "Barum", "bærum kommune" and "3201" all find Bærum. Pure functions over the rows;
the shipped list (``data/municipalities/kommuner.csv``) is loaded by :func:`read_municipality_file`.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from service_catalog.models.municipality import Municipality

# A name must match at least this well before anyone answers for that municipality ("barum" is Bærum).
SURE_MATCH = 0.85
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u"})
_SUFFIX = re.compile(r"\s+(kommune|kommun|suohkan|gielda|tjïelte|tjielte|municipality)$")


def normalise_name(text: str) -> str:
    """Lowercase, fold Norwegian letters and accents, drop 'kommune' and punctuation."""
    text = text.strip().lower()
    text = _SUFFIX.sub("", text)
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = text.replace("aa", "a")  # Aalesund, Aamot: the old spelling of å
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Match:
    municipality: Municipality
    score: float

    @property
    def sure(self) -> bool:
        """Good enough to act on: the chat and /route use the municipality only then."""
        return self.score >= SURE_MATCH


def names_of(m: Municipality) -> list[str]:
    return [m.name, *[n for n in m.other_names.split("|") if n]]


def find_municipalities(rows: Iterable[Municipality], query: str, *, limit: int = 5) -> list[Match]:
    """Best matches for a number or a name, best first; an exact hit scores 1.0."""
    query = query.strip()[:100]
    if not query:
        return []
    rows = list(rows)
    digits = query.zfill(4) if query.isdigit() and len(query) in (3, 4) else None
    if digits:
        return [Match(m, 1.0) for m in rows if m.kommunenummer == digits][:limit]
    wanted = normalise_name(query)
    if not wanted:
        return []
    index: dict[str, list[Municipality]] = {}
    for m in rows:
        for name in names_of(m):
            index.setdefault(normalise_name(name), []).append(m)
    scored: dict[str, Match] = {}
    for m in index.get(wanted, []):
        scored[m.kommunenummer] = Match(m, 1.0)
    for key in difflib.get_close_matches(wanted, list(index), n=limit * 2, cutoff=0.75):
        ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
        for m in index[key]:
            if m.kommunenummer not in scored or scored[m.kommunenummer].score < ratio:
                scored[m.kommunenummer] = Match(m, round(ratio, 3))
    if len(wanted) >= 4:
        for key, ms in index.items():
            if key.startswith(wanted):
                for m in ms:
                    scored.setdefault(m.kommunenummer, Match(m, 0.8))
    return sorted(scored.values(), key=lambda x: (-x.score, x.municipality.name))[:limit]


def read_municipality_file(path: Path) -> list[Municipality]:
    """Rows of the shipped municipality list."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Municipality(
                kommunenummer=row["kommunenummer"].strip(),
                name=row["navn"].strip(),
                fylke=row["fylke"].strip(),
                other_names=(row.get("andre_navn") or "").strip(),
                example=row["kommunenummer"].strip() == "9999",
            )
            for row in csv.DictReader(handle)
        ]
