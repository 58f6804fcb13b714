"""Pages for browsing the union hierarchy. Every lookup goes through accounts.permissions."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import can_view_unit, get_visible_unit_or_404, home_unit, visible_ancestors, visible_units
from units.history import parent_history
from units.models import Unit
from units.search import SEARCH_LIMIT, SEARCH_MAX_LENGTH, find_units

CHILDREN_PER_PAGE = 50


def _children_rows(unit: Unit, page_number) -> tuple[list[tuple[Unit, int]], object]:
    """A page of the unit's children, each with the number of grassroots unions under it."""
    counts = unit.child_grassroots_counts()
    page = Paginator(Unit.objects.get_children(unit).order_by("kind", "name"), CHILDREN_PER_PAGE).get_page(page_number)
    return [(child, counts.get(child.id, 0)) for child in page], page


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    root = home_unit(request.user)
    rows, page = _children_rows(root, request.GET.get("page")) if root else ([], None)
    total = root.subtree().grassroots().count() if root else 0
    return render(request, "units/tree.html", {"root": root, "rows": rows, "page": page, "total": total})


@login_required
def children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one unit, as a fragment the tree page expands in place (htmx)."""
    unit = get_visible_unit_or_404(request.user, code)
    rows, page = _children_rows(unit, request.GET.get("page"))
    return render(request, "units/_children.html", {"unit": unit, "rows": rows, "page": page})


def _parent_changes(user, unit: Unit) -> list[tuple]:
    """The unit's last moves as (date, old parent, new parent); a parent outside the user's
    subtree is left unnamed (None), as every unit outside it is."""
    def shown(parent):
        return parent if parent is not None and can_view_unit(user, parent) else None

    changes = parent_history(unit)[:10]
    parents = Unit.objects.in_bulk({p for _, old, new in changes for p in (old, new) if p})
    return [(day, shown(parents.get(old)), shown(parents.get(new))) for day, old, new in changes]


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_visible_unit_or_404(request.user, code)
    ancestors = visible_ancestors(request.user, unit)
    rows, page = _children_rows(unit, request.GET.get("page"))
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "rows": rows,
        "page": page,
        "grassroots_total": unit.subtree().grassroots().count(),
        "parent_changes": _parent_changes(request.user, unit),
    }
    return render(request, "units/detail.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    found = find_units(visible_units(request.user), request.GET.get("q", ""))
    template = "units/_search_results.html" if request.htmx else "units/search.html"
    return render(request, template, {"query": found.query, "results": found.results, "limit": SEARCH_LIMIT,
                                      "error": found.error, "max_length": SEARCH_MAX_LENGTH},
                  status=400 if found.error and not request.htmx else 200)  # htmx swaps only 2xx answers
