"""Finding units by name or code, diacritics ignored, within what the user may see: the one search
behind the unit search page and the dashboard's unit picker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from units.models import Unit, UnitQuerySet
from units.text import clean_text

SEARCH_LIMIT = 50
# A unit's name is at most a few dozen characters; a longer query is a paste gone wrong, and
# each word is one more condition in the query.
SEARCH_MAX_LENGTH = 100


@dataclass
class Found:
    query: str = ""
    results: list[Unit] = field(default_factory=list)
    error: str = ""
    limit: int = SEARCH_LIMIT


def find_units(visible: UnitQuerySet, text: str, limit: int = SEARCH_LIMIT,
               prepare: Callable[[UnitQuerySet], UnitQuerySet] | None = None) -> Found:
    """The units among `visible` (the caller's accounts.permissions.visible_units: the units app
    imports nothing above it) whose name, short name or code hold every word typed
    ("chau doc" finds "Châu Đốc"), upper levels first, at most `limit` of them; `prepare` may
    annotate or order the query (e.g. each unit's parent) before it runs."""
    query = clean_text(text or "", multiline=False)
    if len(query) > SEARCH_MAX_LENGTH:
        error = _("Type at most %(max)s characters to search.") % {"max": SEARCH_MAX_LENGTH}
        return Found(query[:SEARCH_MAX_LENGTH], [], error, limit)
    if not query:
        return Found(limit=limit)
    units = visible.search(query).order_by("depth", "name")
    units = prepare(units) if prepare else units
    return Found(query, list(units[:limit]), "", limit)
