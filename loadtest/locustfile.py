"""The deadline rush: grassroots officers log in and submit their yearly report, all within
a few minutes, while a few province users keep loading the province dashboard.

Reads the accounts and values that loadtest/prepare.py wrote (LOAD_ACCOUNTS, default
var/load/accounts.json). Each officer, at its own moment of the arrival ramp:
  login page → log in (POST with the CSRF token) → its dashboard (where the login lands)
  → its reports → its report form (CSRF token and the report's version read from the page)
  → fills it in → waits for the deadline → submit → the report page after the redirect;
then idles: every officer submits exactly once. Province viewers log in at once and load
the province dashboard every 2–5 s. When every officer is done, the run stops itself.

Environment:
  LOAD_RAMP           seconds over which the officers arrive, evenly (120)
  LOAD_FILL           seconds an officer spends filling the form, a range ("10-30")
  LOAD_SUBMIT_WINDOW  the deadline: once every form is open, the officers submit at random
                      moments within this many seconds (10); 0: each one submits as soon
                      as it has filled the form (submissions spread over the ramp)

Run by scripts/load.sh through loadtest/run.py (Locust as a library); it also runs under
Locust's own command line, with as many users as officers + viewers, all spawned at once
(arrival times come from LOAD_RAMP, not from Locust's spawn rate):

    locust -f loadtest/locustfile.py --headless -u 204 -r 100 --run-time 5m -H http://127.0.0.1:8123
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, constant, events, task

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = json.loads(Path(os.environ.get("LOAD_ACCOUNTS", ROOT / "var" / "load" / "accounts.json")).read_text())
RAMP = float(os.environ.get("LOAD_RAMP", "120"))
FILL = tuple(float(x) for x in os.environ.get("LOAD_FILL", "10-30").split("-"))
SUBMIT_WINDOW = float(os.environ.get("LOAD_SUBMIT_WINDOW", "10"))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

OFFICERS = ACCOUNTS["officers"]
VIEWERS = ACCOUNTS["viewers"]
# What happened to each officer: username -> "submitted" or "failed at <step>: <why>".
OUTCOMES: dict[str, str] = {}
FORMS_OPEN: set[str] = set()
ALL_FORMS_OPEN = Event()
ALL_DONE = Event()
_next_officer = iter(enumerate(OFFICERS))
_next_viewer = iter(VIEWERS)
_environment = None


@events.init.add_listener
def _remember(environment, **kwargs):
    global _environment
    _environment = environment


class StepFailed(Exception):
    pass


def _finish(username: str, outcome: str) -> None:
    OUTCOMES[username] = outcome
    _form_open(username)
    if len(OUTCOMES) == len(OFFICERS) and not ALL_DONE.is_set():
        ALL_DONE.set()
        # Under Locust's command line, stop the viewers with the last officer (run.py stops by itself).
        if _environment is not None and _environment.parsed_options is not None and _environment.runner:
            gevent.spawn_later(1, _environment.runner.quit)


def _form_open(username: str) -> None:
    FORMS_OPEN.add(username)
    if len(FORMS_OPEN) == len(OFFICERS):
        ALL_FORMS_OPEN.set()


class TiendoUser(FastHttpUser):
    abstract = True
    network_timeout = connection_timeout = 120.0

    def fetch(self, method: str, path: str, name: str, expect: int = 200, contains: str = "", **kwargs):
        """One request; a wrong status or a page without `contains` fails the step."""
        with self.client.request(method, path, name=name, catch_response=True, allow_redirects=False,
                                 **kwargs) as response:
            body = response.text or ""
            if response.status_code != expect:
                why = f"HTTP {response.status_code}, expected {expect}" if response.status_code else \
                    f"no answer: {getattr(response, 'error', None)!r}"
                response.failure(why)
                raise StepFailed(f"{name}: {why}")
            if contains and contains not in body:
                response.failure(f"no {contains!r} in the page")
                raise StepFailed(f"{name}: no {contains!r} in the page")
            return response, body

    def log_in(self, username: str) -> None:
        _, page = self.fetch("GET", "/accounts/login/", "login page", contains="csrfmiddlewaretoken")
        token = CSRF.search(page).group(1)
        self.fetch("POST", "/accounts/login/", "login", expect=302, data={
            "csrfmiddlewaretoken": token, "username": username, "password": ACCOUNTS["password"], "next": "",
        })


class Officer(TiendoUser):
    """A grassroots union's officer: logs in, submits the union's report once, idles."""

    fixed_count = len(OFFICERS)
    wait_time = constant(3600)

    def on_start(self):
        self.index, self.account = next(_next_officer, (None, None))

    @task
    def rush(self):
        if self.account is None or self.account["username"] in OUTCOMES:
            return
        gevent.sleep(self.index * RAMP / max(1, len(OFFICERS)))
        try:
            outcome = self.report()
        except StepFailed as failed:
            outcome = f"failed at {failed}"
        _finish(self.account["username"], outcome)

    def report(self) -> str:
        account, url = self.account, self.account["entry_url"]
        self.log_in(account["username"])
        self.fetch("GET", "/dashboards/", "officer dashboard")
        gevent.sleep(random.uniform(1, 3))
        self.fetch("GET", "/reporting/", "reports home", contains=url)
        gevent.sleep(random.uniform(1, 3))
        _, page = self.fetch("GET", url, "report form", contains='name="submit"')
        token, version = CSRF.search(page).group(1), VERSION.search(page).group(1)
        _form_open(account["username"])
        gevent.sleep(random.uniform(*FILL))
        if SUBMIT_WINDOW:
            ALL_FORMS_OPEN.wait()
            gevent.sleep(random.uniform(0, SUBMIT_WINDOW))
        response, _ = self.fetch("POST", url, "submit", expect=302, data={
            "csrfmiddlewaretoken": token, "version": version, **account["form"], "submit": "",
        })
        if not response.headers.get("location", "").endswith(url):
            raise StepFailed(f"submit: redirected to {response.headers.get('location')}")
        # The page after the redirect: the report is submitted and the success message shows.
        _, page = self.fetch("GET", url, "report after submit", contains="status-submitted")
        if "message success" not in page:
            raise StepFailed("report after submit: no success message (was it submitted already?)")
        return "submitted"


class ProvinceViewer(TiendoUser):
    """A province leader who keeps reloading the province dashboard during the rush."""

    fixed_count = len(VIEWERS)
    wait_time = between(2, 5)

    def on_start(self):
        self.account = next(_next_viewer, None)
        self.logged_in = False

    @task
    def dashboard(self):
        if self.account is None:
            gevent.sleep(3600)
            return
        try:
            if not self.logged_in:
                self.log_in(self.account["username"])
                self.logged_in = True
            self.fetch("GET", "/dashboards/", "province dashboard", contains="<h1")
        except StepFailed:
            pass  # counted as a failure of that request; try again at the next round
