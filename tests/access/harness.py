"""The machinery of the URL access table (tests/access/test_url_access.py): the roles, what an
expected answer means, walking the project's URL patterns, running one request in a savepoint
that is rolled back, noticing any change in the database, and printing the mismatches as a table.

Nothing here knows a particular page: the table does.
"""

from __future__ import annotations

import contextlib
import copy
import html
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.permissions import visible_units
from units.models import Unit

# --- roles --------------------------------------------------------------------------------------
# The users of accounts.testing.build_world, one per role (anonymous: nobody logged in).
ROLES = ("anonymous", "reporter", "district_reporter", "approver", "sector_viewer", "viewer", "admin")
ROLE_USERS = {
    "reporter": "reporter",            # grassroots reporter of AG.883.00001 (the school, Long Xuyên)
    "district_reporter": "district_reporter",  # reporter of AG.883 itself (made by tests/access/world.py)
    "approver": "approver",            # district approver of AG.883 (Long Xuyên)
    "sector_viewer": "sector_viewer",  # viewer of AG.YT (the health sector union)
    "viewer": "viewer",                # province viewer (AG)
    "admin": "admin",                  # province administrator (AG), made staff and superuser here
}
# Users who see the whole province: no unit is outside their subtree, so the "outside" target is
# an object that does not exist (it must answer exactly like a unit outside a subtree: 404).
PROVINCE_WIDE = ("viewer", "admin")

MISSING_CODE = "AG.999"   # a unit code that does not exist
MISSING_PK = 999_999      # an id that does not exist


# --- expected answers ---------------------------------------------------------------------------
class Redirect:
    """A 302 answer, told apart by where it goes."""

    def __init__(self, label: str, to: Callable[[], str] | None):
        self.label, self._to = label, to

    def matches(self, response) -> bool:
        if response.status_code != 302:
            return False
        where = urlsplit(response.get("Location", "")).path
        logins = (reverse("login"), reverse("admin:login"))
        if self._to is None:
            return where not in logins
        return where == self._to()

    def __repr__(self) -> str:
        return self.label


LOGIN = Redirect("302→login", lambda: reverse("login"))
ADMIN_LOGIN = Redirect("302→admin login", lambda: reverse("admin:login"))
REDIRECT = Redirect("302", None)  # a redirect elsewhere than a login page (after a success, …)


Expected = int | Redirect
# A refusal: the request must not change anything. (400 is one where the table expects it: a
# payload refused as a whole; 401 is the API's answer to a request with no token; 409 its
# answer to a step the report is not at.)
REFUSALS = (LOGIN, ADMIN_LOGIN, 400, 401, 403, 404, 405, 409)
METHODS = ("GET", "POST", "PATCH")


def is_refusal(expected: Expected) -> bool:
    return any(expected is refusal or (isinstance(refusal, int) and expected == refusal) for refusal in REFUSALS)


def describe_answer(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code}→{urlsplit(response.get('Location', '')).path}"
    return str(response.status_code)


def matches(expected: Expected, response) -> bool:
    if isinstance(expected, int):
        return response.status_code == expected
    return expected.matches(response)


def by_role(anonymous, reporter, district_reporter, approver, sector_viewer, viewer, admin) -> dict[str, Any]:
    """One expectation per role, in the order of ROLES: a single answer for every target, or a
    tuple with one answer per target of the entry; None: not tried for that role."""
    return dict(zip(ROLES, (anonymous, reporter, district_reporter, approver, sector_viewer, viewer, admin),
                    strict=True))


# --- targets --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """One kind of object a URL is built for, chosen per role: `pick(ctx, role)` gives the object
    (None: one that does not exist) and a label for the table."""

    name: str
    pick: Callable[[Any, str], tuple[Any, str]]


NO_TARGET = (Target("-", lambda ctx, role: (None, "-")),)


# --- entries ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """How to reach one URL pattern and what each role must get there.

    `url(ctx, obj)` builds the URL for a target object; `GET` / `POST` / `PATCH` map each role to
    its expected answer(s) (None: the method is not tried); `payload(ctx, obj)` is the body of a
    POST or PATCH (a form's fields; with `content_type`, sent as that type: a dict as JSON, bytes
    as they are); `post_changes`: a POST or PATCH that is not refused must change something in the
    database (so the payload is known to be good enough, and a refusal is a refusal, not a bad
    payload)."""

    name: str
    url: Callable[[Any, Any], str]
    targets: tuple[Target, ...] = NO_TARGET
    GET: dict[str, Any] | None = None
    POST: dict[str, Any] | None = None
    PATCH: dict[str, Any] | None = None
    payload: Callable[[Any, Any], Any] | None = None
    content_type: str | None = None
    post_changes: bool = False
    html_checked: bool = True  # a page shown must not name units outside the subtree

    def expected(self, method: str, role: str, index: int) -> Expected | None:
        spec = getattr(self, method)[role]
        if isinstance(spec, tuple):
            assert len(spec) == len(self.targets), f"{self.name}: {role} {method} needs one answer per target"
            return spec[index]
        return spec


# --- URL patterns -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    ident: str       # 'namespace:name', or the full route for an unnamed pattern
    route: str       # the full route, e.g. 'reporting/periods/<int:period_id>/close/'
    pattern: URLPattern = field(compare=False)


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, included ones too, each once."""
    found: dict[str, Pattern] = {}

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]) -> Iterator[Pattern]:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = namespaces + ((item.namespace,) if item.namespace else ())
                yield from walk(item.url_patterns, prefix + str(item.pattern), inner)
            elif isinstance(item, URLPattern):
                route = prefix + str(item.pattern)
                ident = ":".join((*namespaces, item.name)) if item.name else route
                yield Pattern(ident, route, item)

    for pattern in walk(get_resolver().url_patterns, "", ()):
        found.setdefault(pattern.ident, pattern)
    return list(found.values())


# --- the database, before and after -------------------------------------------------------------------
# Every table of these apps is compared before and after a request that must change nothing.
# Left out: sessions (logging in writes one) and the audit trail / login throttling, which may
# well record a refused attempt.
WATCHED_APPS = ("accounts", "units", "programs", "reporting", "plans", "indicators", "exports", "reorganising",
                "notifications", "auth", "admin", "api", "registries")


def watched_models() -> dict[str, Any]:
    """The watched models by database table."""
    return {model._meta.db_table: model for model in apps.get_models()
            if model._meta.app_label in WATCHED_APPS and not model._meta.proxy and model._meta.managed}


def fingerprint(tables: Iterable[str] | None = None) -> dict[str, list]:
    """Every row of the watched tables (or of those of `tables` that are watched), by model label."""
    models = watched_models()
    chosen = models.values() if tables is None else [models[t] for t in tables if t in models]
    return {model._meta.label: list(model._base_manager.order_by("pk").values_list()) for model in chosen}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


# Reading every row of every watched table before and after each request was half the table's
# time. A table no statement wrote to cannot have changed, so: the connection's statements are
# watched, and only the tables written to are read again and compared; any statement that is not
# a plain read, a savepoint or a recognised INSERT/UPDATE/DELETE means "compare every table".
_READS = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK)\b", re.IGNORECASE)
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Writes:
    """An execute wrapper noting the tables the SQL run writes to; `unknown` when a statement
    could not be read (then every table counts as written)."""

    def __init__(self):
        self.tables: set[str] = set()
        self.unknown = False
        self.paused = False

    def __call__(self, execute, sql, params, many, context):
        if not self.paused and not _READS.match(sql):
            written = _WRITE.match(sql)
            if written:
                self.tables.add(written.group(1))
            else:
                self.unknown = True
        return execute(sql, params, many, context)

    @property
    def any(self) -> bool:
        return self.unknown or bool(self.tables)

    def written(self) -> set[str] | None:
        """The tables written to; None for "every table"."""
        return None if self.unknown else set(self.tables)


class Baseline:
    """The watched tables as every request of the table finds them (each is rolled back), read
    again only when something outside the requests wrote to the database (logging in, a payload)."""

    def __init__(self):
        self.state: dict[str, list] | None = None
        self.outside = Writes()

    def before(self) -> dict[str, list]:
        if self.state is None or self.outside.any:
            self.state = fingerprint()
            self.outside.tables, self.outside.unknown = set(), False
        return self.state

    @contextlib.contextmanager
    def watching(self):
        with connection.execute_wrapper(self.outside):
            yield


# --- links to units a user may not see --------------------------------------------------------------
LINK = re.compile(r'\b(?:href|action|src|hx-get|hx-post|hx-put|hx-delete|data-url)="([^"]*)"')


@dataclass(frozen=True)
class Hidden:
    """What a page shown to a user must not name: units outside the user's subtree, by code in
    a link, and — except the user's own ancestors, which the pages may name ("submitted to …") —
    by full name anywhere."""

    codes: frozenset[str]
    names: frozenset[str]


def hidden_from(user) -> Hidden:
    seen = visible_units(user)
    outside = Unit.objects.exclude(pk__in=seen.values("pk"))
    ancestors = Unit.objects.get_ancestors(user.unit) if user.unit_id else Unit.objects.none()
    return Hidden(frozenset(outside.values_list("code", flat=True)),
                  frozenset(outside.exclude(pk__in=[a.pk for a in ancestors]).values_list("name", flat=True)))


def named_units(body: str, hidden: Hidden) -> set[str]:
    """Units of `hidden` the page names: by code in a link, a form or an htmx URL (as a path
    segment or a query value), or by full name anywhere."""
    found = set()
    for raw in LINK.findall(body):
        parts = urlsplit(html.unescape(raw))
        tokens = set(unquote(parts.path).split("/")) | {value for _, value in parse_qsl(parts.query)}
        found |= tokens & hidden.codes
    text = html.unescape(body)
    found |= {name for name in hidden.names if name in text}
    return found


# --- one request ------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    response: Any = None
    error: str = ""
    changed: list[str] = field(default_factory=list)
    leaked: set[str] = field(default_factory=set)

    @property
    def got(self) -> str:
        return self.error or describe_answer(self.response)


class Visitor:
    """A test client logged in once as `user` (None: anonymous). Every request starts again from
    the cookies it had after logging in: its session row is restored by the rollback, so that a
    request that logs out or rotates the session does not change the next one."""

    def __init__(self, user):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.cookies = copy.deepcopy(self.client.cookies)

    def fresh(self) -> Client:
        self.client.cookies = copy.deepcopy(self.cookies)
        return self.client


def named_in_json(body: bytes, hidden: Hidden) -> set[str]:
    """Units of `hidden` a JSON answer names: a string of it that is a hidden unit's code or full name."""
    try:
        data = json.loads(body)
    except ValueError:
        return set()
    found, stack = set(), [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str) and (item in hidden.codes or item in hidden.names):
            found.add(item)
    return found


def _send(client: Client, method: str, url: str, data, content_type: str | None):
    if method == "GET":
        return client.get(url)
    if content_type is None:
        return client.post(url, data or {}) if method == "POST" else client.generic(method, url)
    body = json.dumps(data) if content_type == "application/json" else data
    return client.generic(method, url, body or b"", content_type=content_type)


def perform(visitor: Visitor, method: str, url: str, data, watch: bool, hidden: Hidden | None,
            baseline: Baseline | None = None, content_type: str | None = None) -> Outcome:
    """Make one request inside a savepoint that is rolled back afterwards, so that every request
    of the table starts from the same database."""
    outcome = Outcome()
    baseline = baseline or Baseline()
    before = baseline.before() if watch else None
    baseline.outside.paused = True
    try:
        with transaction.atomic():
            client = visitor.fresh()
            writes = Writes()
            with connection.execute_wrapper(writes):
                try:
                    outcome.response = _send(client, method, url, data, content_type)
                except Exception as error:  # a server error: recorded, the table goes on
                    outcome.error = f"raised {type(error).__name__}: {error}"[:120]
            if watch:
                try:
                    after = fingerprint(writes.written())
                    outcome.changed = changed_tables({label: before[label] for label in after}, after)
                except Exception as error:  # e.g. the request broke the transaction (PostgreSQL)
                    outcome.changed = [f"(could not compare: {type(error).__name__})"]
            response = outcome.response
            if (hidden and response is not None and response.status_code == 200
                    and response.get("Content-Type", "").startswith("text/html")):
                outcome.leaked = named_units(response.content.decode(), hidden)
            elif (hidden and response is not None and response.status_code == 200
                    and response.get("Content-Type", "").startswith("application/json")):
                outcome.leaked = named_in_json(response.content, hidden)
            transaction.set_rollback(True)
    finally:
        baseline.outside.paused = False
    return outcome


# --- the whole table -------------------------------------------------------------------------------------
@dataclass
class Result:
    mismatches: list[tuple] = field(default_factory=list)
    requests: int = 0
    patterns: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        slowest = sorted(self.seconds, key=self.seconds.get, reverse=True)[:3]
        return (f"{len(self.patterns)} patterns × {len(ROLES)} roles × their targets: {self.requests} requests; "
                f"{len(self.mismatches)} mismatches; slowest: "
                + ", ".join(f"{name} {self.seconds[name]:.1f} s" for name in slowest))


@contextlib.contextmanager
def quiet_refusals():
    """Django logs every 403/404/405 with its traceback: hundreds of them here, expected ones."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def run_table(ctx, entries: list[Entry]) -> Result:
    """Every request of the table; every mismatch collected, none stops the others."""
    with quiet_refusals():
        return _run(ctx, entries)


def _run(ctx, entries: list[Entry]) -> Result:
    result = Result()
    baseline = Baseline()
    with baseline.watching():
        _run_entries(ctx, entries, result, baseline)
    return result


def _run_entries(ctx, entries: list[Entry], result: Result, baseline: Baseline) -> None:
    visitors = {role: Visitor(ctx.user(role)) for role in ROLES}
    hidden = {role: hidden_from(ctx.user(role)) for role in ROLES if role != "anonymous" and role not in PROVINCE_WIDE}
    for entry in entries:
        started = time.perf_counter()
        for method in METHODS:
            if getattr(entry, method) is None:
                continue
            result.patterns.add(entry.name)
            for role in ROLES:
                for index, target in enumerate(entry.targets):
                    expected = entry.expected(method, role, index)
                    if expected is None:
                        continue
                    obj, label = target.pick(ctx, role)
                    problem = _check(ctx, entry, method, visitors[role], obj, expected,
                                     hidden.get(role) if entry.html_checked else None, baseline)
                    result.requests += 1
                    if problem:
                        result.mismatches.append((entry.name, role, label, method, expected, problem))
        result.seconds[entry.name] = time.perf_counter() - started


def _check(ctx, entry: Entry, method: str, visitor: Visitor, obj, expected: Expected, hidden: Hidden | None,
           baseline: Baseline) -> str:
    """What is wrong with one request ("" if nothing)."""
    try:
        url = entry.url(ctx, obj)
    except NoReverseMatch as error:
        return f"no URL: {error}"
    data = entry.payload(ctx, obj) if method != "GET" and entry.payload else None
    refused = is_refusal(expected)
    watch = method != "GET" and (refused or entry.post_changes)
    outcome = perform(visitor, method, url, data, watch, hidden, baseline, entry.content_type)
    wrong_answer = bool(outcome.error) or not matches(expected, outcome.response)
    notes = []
    if refused and outcome.changed:
        notes.append(f"changed {', '.join(outcome.changed)}")
    elif not refused and watch and not outcome.changed and not wrong_answer:
        notes.append("but nothing changed (is the payload right?)")
    if outcome.leaked:
        notes.append(f"names {', '.join(sorted(outcome.leaked))} (outside the subtree)")
    if not wrong_answer and not notes:
        return ""
    return "; ".join([outcome.got, *notes])


# --- the report of mismatches ------------------------------------------------------------------------------
COLUMNS = ("url name", "role", "target", "method", "expected", "got")


def as_table(rows: list[tuple]) -> str:
    rows = [COLUMNS, *[tuple(str(cell) for cell in row) for row in rows]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)
