"""The main tasks walked in a real browser, as each role does them, with what they cost: clicks
(taps on links, buttons and choices), fields typed, pages loaded and the height scrolled.

`manage.py walk_tasks` walks them against a running server (the demo data), and
tests/browser/test_walk.py against a live test server; both print `table()`. The tasks, in the
order they depend on each other:

1. the grassroots reporter fills in and submits the report (from the landing page's to-do);
2. the approver opens it from the approver queue and returns it with a comment;
3. the reporter opens the returned report from the landing page, fixes a figure, submits again;
4. the approver approves it from the queue's list;
5. the province finds the units that have not reported ("Đơn vị chưa nộp báo cáo");
6. the province opens a district's figures with the dashboard's unit picker (?find=);
7. the province downloads a report document (Word), built by the job worker meanwhile.

Each task starts on the landing page the user reaches after logging in (the login is not
counted). The height scrolled is summed over every scroll event of the page (a script added to
every page keeps the sum in sessionStorage across page loads), the scrolling Playwright does to
bring an element into view included, as a user would scroll to it."""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from units.text import fold

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"390 px": PHONE, "1280 px": DESKTOP}
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 30_000
BUILD_SECONDS = 120  # a document's build, the worker's wait included

# The grassroots form's figures, typed where a field is empty (consistent with each other:
# members within workers, trained officers within officers …). Fields already filled are kept.
NUMBERS = {
    "workers": "40", "members": "38", "officers": "5", "officers_trained": "4", "workers_informed": "36",
    "workers_upskilled": "20", "union_homes": "0", "initiatives": "6", "party_referrals": "1",
    "members_admitted": "2", "members_legal_informed": "30", "officers_studied_resolutions": "4",
    "workers_trained": "6", "creative_labour_medals": "0", "members_in_difficulty": "1",
    "members_in_difficulty_supported": "1",
}
EXPLANATION = "Đã kiểm tra lại: số liệu đúng thực tế của đơn vị."
RETURN_COMMENT = "Đề nghị kiểm tra lại số sáng kiến, giải pháp trong năm."
FIX_FIELD = "initiatives"

SCROLL_COUNTER = """
(() => {
  let last = window.scrollY;
  addEventListener("scroll", () => {
    const y = window.scrollY;
    const total = Number(sessionStorage.getItem("walkScrolled") || 0) + Math.abs(y - last);
    last = y;
    sessionStorage.setItem("walkScrolled", String(Math.round(total)));
  }, {passive: true});
})();
"""


@dataclass(frozen=True)
class Logins:
    """Who walks: the grassroots reporter, the approver of its report, the province."""

    reporter: str
    approver: str
    province: str
    password: str
    unit_code: str  # the reporter's unit
    unit_name: str
    district_search: str  # what the province types in the unit picker, as a user would (no accents)
    district_name: str  # the unit it opens


@dataclass
class Measure:
    task: str
    role: str
    viewport: str
    clicks: int = 0
    typed: int = 0
    pages: int = 0
    scrolled: int = 0
    seconds: float = 0.0
    ok: bool = False
    error: str = ""


@dataclass
class Walker:
    """One role's browser tab: every click and field typed goes through it, and is counted."""

    page: object
    base_url: str
    viewport: str
    role: str
    measures: list[Measure] = field(default_factory=list)
    current: Measure | None = None

    def click(self, locator) -> None:
        locator.click()
        self.current.clicks += 1

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self.current.typed += 1

    def failure_shot(self, task: str) -> None:
        """Where a task stopped, for whoever reads the failure: var/walk/<viewport>-<task>.png."""
        folder = Path(__file__).resolve().parents[1] / "var" / "walk"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", fold(f"{self.viewport} {task}")).strip("-")
        with contextlib.suppress(Exception):  # the page is gone: nothing to show
            self.page.screenshot(path=str(folder / f"{slug}.png"), full_page=True)

    def open_menu(self) -> None:
        """On a phone the navigation folds behind the header's "Menu" button: one more tap."""
        button = self.page.get_by_role("button", name="Menu", exact=True)
        if button.is_visible() and button.get_attribute("aria-expanded") != "true":
            self.click(button)

    def nav(self, name: str) -> None:
        self.open_menu()
        self.click(self.page.locator("header, nav").get_by_role("link", name=name, exact=True).first)

    @contextmanager
    def task(self, name: str) -> Iterator[Measure]:
        self.current = measure = Measure(task=name, role=self.role, viewport=self.viewport)
        self.page.evaluate("sessionStorage.setItem('walkScrolled', '0')")
        started, loads = time.monotonic(), []

        def listener(page) -> None:
            loads.append(page.url)

        self.page.on("load", listener)
        try:
            yield measure
            measure.ok = True
        except Exception as problem:  # the table says which task failed and why; the test re-raises
            measure.error = f"{type(problem).__name__}: {str(problem).splitlines()[0] if str(problem) else ''}"
            self.failure_shot(name)
        finally:
            self.page.remove_listener("load", listener)
            measure.pages = len(loads)
            measure.seconds = round(time.monotonic() - started, 1)
            with contextlib.suppress(Exception):  # the page is gone: the task failed already
                measure.scrolled = int(self.page.evaluate("Number(sessionStorage.getItem('walkScrolled') || 0)"))
            self.measures.append(measure)
            self.current = None


def launch_chromium(playwright):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise RuntimeError("chromium is not installed")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)


@contextmanager
def _tab(browser, base_url: str, viewport: str, role: str, username: str, password: str) -> Iterator[Walker]:
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size, device_scale_factor=2 if size is PHONE else 1,
                                  is_mobile=size is PHONE, has_touch=size is PHONE, locale="vi-VN",
                                  accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(SCROLL_COUNTER)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit the report …?": yes
    page.goto(f"{base_url}/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboards/**")
    try:
        yield Walker(page=page, base_url=base_url, viewport=viewport, role=role)
    finally:
        context.close()


def _landing(walker: Walker) -> None:
    """Each task starts where the user lands after logging in."""
    walker.page.goto(f"{walker.base_url}/dashboards/")


def _fill_report(walker: Walker) -> None:
    """Type the figures of every empty number field, answer every unanswered yes/no with "Có",
    class a signed agreement B if unclassed."""
    page = walker.page
    for name, value in NUMBERS.items():
        box = page.locator(f'input[name="{name}"]:not([type="radio"])')
        if box.count() and not box.input_value().strip():
            walker.fill(box, value)
    names = page.eval_on_selector_all(
        'form input[type="radio"][value="yes"]', "els => [...new Set(els.map(e => e.name))]")
    for name in names:
        if page.locator(f'input[name="{name}"]:checked').count() == 0:
            walker.click(page.locator(f"#field-{name}").get_by_text("Có", exact=True))
    agreement = page.locator('input[name="cba_quality_class"]:checked')
    if page.locator('input[name="cba_signed"][value="yes"]:checked').count() and (
            agreement.count() == 0 or not agreement.get_attribute("value")):
        walker.click(page.locator("#field-cba_quality_class").get_by_text("B", exact=True))


def _explain_warnings(walker: Walker) -> None:
    """Type an explanation under every value whose warning asks for one."""
    boxes = walker.page.locator("label.comment textarea, label.comment input")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if box.is_visible() and not box.input_value().strip():
            walker.fill(box, EXPLANATION)


def _submit(walker: Walker) -> None:
    """Press "Nộp báo cáo"; if a warning stops it, explain and press again, as the page asks."""
    page = walker.page
    _explain_warnings(walker)
    walker.click(page.get_by_role("button", name="Nộp báo cáo"))
    sent, refused = page.get_by_text("Đã nộp báo cáo cho"), page.get_by_text("báo cáo chưa nộp được")
    sent.or_(refused).first.wait_for()
    if refused.count():
        _explain_warnings(walker)
        walker.click(page.get_by_role("button", name="Nộp báo cáo"))
        sent.wait_for()


def report(walker: Walker, logins: Logins) -> None:
    page = walker.page
    with walker.task("Nhập và nộp báo cáo"):
        _landing(walker)
        todo = page.locator(".todo").get_by_role("link", name=re.compile(r"^(Nhập|Sửa) báo cáo$"))
        if todo.count():  # overdue, due soon or returned: the landing page's to-do leads to it
            walker.click(todo.first)
        else:
            walker.nav("Báo cáo")
            walker.click(page.get_by_role("link", name=re.compile(r"^(Nhập|Sửa) báo cáo$")).first)
        page.wait_for_url(f"**/reports/{logins.unit_code}/")
        _fill_report(walker)
        _submit(walker)


def _open_from_queue(walker: Walker, logins: Logins) -> None:
    page = walker.page
    _landing(walker)
    walker.click(page.get_by_role("link", name="Mở danh sách chờ duyệt"))
    page.wait_for_url("**/reporting/queue/**")
    walker.click(page.locator(f'main a[href*="/reports/{logins.unit_code}/"]').first)
    page.wait_for_url(f"**/reports/{logins.unit_code}/**")
    walker.click(page.get_by_role("link", name=re.compile(r"(Đến phần duyệt|Duyệt hoặc trả lại)")).first)


def return_report(walker: Walker, logins: Logins) -> None:
    page = walker.page
    with walker.task("Trả lại báo cáo kèm ý kiến"):
        _open_from_queue(walker, logins)
        walker.fill(page.locator("#decision textarea").first, RETURN_COMMENT)
        walker.click(page.get_by_role("button", name="Trả lại để sửa"))
        page.get_by_text("Đã trả báo cáo về đơn vị để sửa.").first.wait_for()


def fix_report(walker: Walker, logins: Logins) -> None:
    page = walker.page
    with walker.task("Sửa báo cáo bị trả lại, nộp lại"):
        _landing(walker)
        page.get_by_text(RETURN_COMMENT).first.wait_for()  # the comment is on the landing page
        walker.click(page.get_by_role("link", name="Sửa báo cáo").first)
        page.wait_for_url(f"**/reports/{logins.unit_code}/")
        box = page.locator(f'input[name="{FIX_FIELD}"]')
        walker.fill(box, str(int(box.input_value() or 0) + 1))
        _submit(walker)


def approve(walker: Walker, logins: Logins) -> None:
    page = walker.page
    with walker.task("Duyệt báo cáo (danh sách chờ duyệt)"):
        _landing(walker)
        walker.click(page.get_by_role("link", name="Mở danh sách chờ duyệt"))
        page.wait_for_url("**/reporting/queue/**")
        tick = page.get_by_label(f"Duyệt {logins.unit_name}", exact=True)
        if tick.count():  # approved from the list
            walker.click(tick)
            walker.click(page.get_by_role("button", name="Duyệt các báo cáo đã chọn"))
            page.get_by_text("Đã duyệt 1 báo cáo.").wait_for()
        else:  # flagged: only from its page
            walker.click(page.locator(f'main a[href*="/reports/{logins.unit_code}/"]').first)
            walker.click(page.get_by_role("link", name=re.compile(r"(Đến phần duyệt|Duyệt hoặc trả lại)")).first)
            walker.click(page.get_by_role("button", name="Duyệt", exact=True))
            page.get_by_text("Đã duyệt báo cáo.").wait_for()


def find_missing(walker: Walker, logins: Logins) -> None:
    page = walker.page
    with walker.task("Tìm đơn vị chưa nộp báo cáo"):
        _landing(walker)
        walker.nav("Báo cáo")
        walker.click(page.get_by_role("link", name="Tình hình nộp báo cáo").first)
        page.wait_for_url("**/units/**")
        heading = page.get_by_role("heading", name="Đơn vị chưa nộp báo cáo")
        heading.scroll_into_view_if_needed()
        table = page.locator("section, div").filter(has=heading).last.locator("tbody tr")
        table.first.scroll_into_view_if_needed()
        if table.count() == 0:
            raise AssertionError("no unit listed as missing")


def open_district(walker: Walker, logins: Logins) -> None:
    page = walker.page
    with walker.task("Xem số liệu một đơn vị cấp huyện"):
        _landing(walker)
        walker.fill(page.get_by_label("Xem số liệu của đơn vị khác"), logins.district_search)
        walker.click(page.get_by_role("button", name="Tìm", exact=True))
        walker.click(page.locator(".picker-results").get_by_role("link", name=logins.district_name, exact=True))
        page.locator("h1", has_text=logins.district_name).wait_for()


def download_document(walker: Walker, logins: Logins, run_jobs: Callable[[], None] | None) -> str:
    page = walker.page
    name = ""
    with walker.task("Tải văn bản báo cáo (Word)"):
        _landing(walker)
        walker.nav("Văn bản báo cáo")
        page.wait_for_url("**/documents/**")
        downloads = []

        def downloaded(download) -> None:
            downloads.append(download)

        page.on("download", downloaded)
        try:
            # A document built already comes at once; otherwise the page follows the build,
            # then offers the file's link.
            walker.click(page.get_by_role("button", name="Tải về"))
            link = page.get_by_role("link", name=re.compile(r"^Tải xuống "))
            deadline = time.monotonic() + BUILD_SECONDS
            while not downloads and not link.count():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the document was not built in {BUILD_SECONDS} s (is a job worker running?)")
                if run_jobs is not None:
                    run_jobs()
                page.wait_for_timeout(500)
            if not downloads:
                walker.click(link.first)
                page.wait_for_timeout(200)
                deadline = time.monotonic() + 30
                while not downloads and time.monotonic() < deadline:
                    page.wait_for_timeout(200)
            if not downloads:
                raise TimeoutError("the file's link gave no download")
            name = downloads[0].suggested_filename
        finally:
            page.remove_listener("download", downloaded)
    return name


def walk(browser, base_url: str, logins: Logins, viewport: str,
         run_jobs: Callable[[], None] | None = None) -> list[Measure]:
    """Every task once at `viewport` ("390 px" or "1280 px"); the measures, failed ones included
    (a task that depends on a failed one still runs, and fails too)."""
    base_url = base_url.rstrip("/")
    measures: list[Measure] = []
    with _tab(browser, base_url, viewport, "cơ sở", logins.reporter, logins.password) as reporter, \
            _tab(browser, base_url, viewport, "duyệt", logins.approver, logins.password) as approver, \
            _tab(browser, base_url, viewport, "tỉnh", logins.province, logins.password) as province:
        report(reporter, logins)
        return_report(approver, logins)
        fix_report(reporter, logins)
        approve(approver, logins)
        find_missing(province, logins)
        open_district(province, logins)
        download_document(province, logins, run_jobs)
        measures = sorted([*reporter.measures, *approver.measures, *province.measures],
                          key=lambda m: TASK_ORDER.index(m.task))
    return measures


TASK_ORDER = ["Nhập và nộp báo cáo", "Trả lại báo cáo kèm ý kiến", "Sửa báo cáo bị trả lại, nộp lại",
              "Duyệt báo cáo (danh sách chờ duyệt)", "Tìm đơn vị chưa nộp báo cáo", "Xem số liệu một đơn vị cấp huyện",
              "Tải văn bản báo cáo (Word)"]


def table(measures: list[Measure]) -> str:
    """The measures as a plain-text table, one line per task and viewport."""
    header = ("Việc", "Vai trò", "Màn hình", "Bấm", "Gõ", "Trang", "Cuộn (px)", "Giây", "")
    rows = [(m.task, m.role, m.viewport, str(m.clicks), str(m.typed), str(m.pages), f"{m.scrolled:,}".replace(",", "."),
             f"{m.seconds:.1f}", "" if m.ok else f"LỖI {m.error}") for m in measures]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {3, 4, 5, 6, 7}

    def line(row) -> str:
        return "  ".join(cell.rjust(w) if i in numeric else cell.ljust(w)
                         for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def reopen_for_walk(logins: Logins) -> str:
    """Before a walk: the reporter's report of the open period made a draft again if a previous
    walk left it sent (reopened by the province, recorded as any reopening), so that there is a
    report to fill in. What was done, for the command to say ("" if nothing)."""
    from accounts.models import User
    from reporting.actions import do_reopen
    from reporting.models import Period, Report

    sent = Report.objects.filter(unit__code=logins.unit_code, period__status=Period.Status.OPEN,
                                 status__in=Report.SENT)
    province = User.objects.get(username=logins.province)
    done = []
    for found in sent.select_related("period"):
        do_reopen(found, province, found.version, "Mở lại để đi thử các việc chính (walk_tasks).")
        done.append(f"{found.period.label}: {logins.unit_code} reopened")
    return "; ".join(done)
