"""Calendar dates in a text, read by `dateparser`: "Dec. 3", "December 3" and "3 December" are
one date, whichever way a draft and its sources write it.

A date is kept as (month, day), or (month, None) for a month alone ("August 2020"); a year alone
is a number and is compared as one. Weekdays without a day of the month are left to the checks'
word comparison.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from ..annotate import AnnotatedDoc

DateKey = tuple[int, int | None]
_ABBREVIATED = re.compile(r"\b([A-Za-z]{3,5})\.(?=\s*\d)")
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _parser() -> object:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past"})


@lru_cache(maxsize=8192)
def date_keys(text: str) -> tuple[DateKey, ...]:
    """The calendar dates `text` (a date expression, such as an entity's words) names."""
    if not re.search(r"[A-Za-z]", text):
        return ()
    from dateparser.search import search_dates

    # dateparser's search stops at an abbreviation's full stop ("Dec. 3 to Dec. 5").
    text = _ABBREVIATED.sub(r"\1", text)

    with _LOCK:
        parser = _parser()
        data = parser.get_date_data(text)  # type: ignore[attr-defined]
        found = [(text, data)] if data.date_obj is not None else []
        if not found:
            hits = search_dates(text, languages=["en"]) or []
            found = [(part, parser.get_date_data(part)) for part, _ in hits]  # type: ignore[attr-defined]
    keys: list[DateKey] = []
    for part, d in found:
        if d.date_obj is None:
            continue
        if d.period == "day" and re.search(r"\d", part):
            keys.append((d.date_obj.month, d.date_obj.day))
        elif d.period == "month":
            keys.append((d.date_obj.month, None))
    return tuple(keys)


def dates_in(doc: AnnotatedDoc) -> list[tuple[int, int, tuple[DateKey, ...]]]:
    """The date entities of `doc` that name a calendar day or month: (start, end, dates)."""
    out: list[tuple[int, int, tuple[DateKey, ...]]] = []
    for e in doc.entities:
        if e.label != "DATE":
            continue
        keys = date_keys(e.text)
        if keys:
            out.append((e.start, e.end, keys))
    return out


def known(keys: tuple[DateKey, ...], sources: set[DateKey]) -> bool:
    """Whether every date of `keys` is one the sources name (a month alone: any day of it)."""
    months = {m for m, _ in sources}
    return all(k in sources or (k[1] is None and k[0] in months) for k in keys)
