"""Norwegian public holidays (helligdager and the two official flag days that close offices), from `holidays`.

Moving holidays (skjærtorsdag, langfredag, 1. and 2. påskedag, Kristi himmelfartsdag, 1. and 2. pinsedag) are
computed by the library each year, so nobody types them. Sundays, which the library also counts in Norway,
are left out: weekly opening hours already say whether a service is open on Sundays.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def public_holidays(*years: int) -> frozenset[date]:
    """Every public holiday in Norway in these years (1. januar, påske, 1. mai, 17. mai, pinse, jul …)."""
    return frozenset(holidays.country_holidays("NO", years=years, include_sundays=False))


def holiday_name(day: date) -> str | None:
    """The holiday's Norwegian name, or None on an ordinary day."""
    names = holidays.country_holidays("NO", years=day.year, include_sundays=False, language="no")
    return names.get(day)
