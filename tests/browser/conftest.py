"""Browser tests: Playwright drives Debian's chromium (browsers cannot be downloaded here).

Screenshots go to var/test-artifacts/ so that CI keeps them and people can look at them.
"""

import os
import shutil
from pathlib import Path

import pytest

from accounts.testing import PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django's ORM then refuses
# to run there unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (make test installs it where apt is available)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    database = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    path = ARTIFACTS / f"{name}-{database}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_fits_width(page):
    """Nothing on the page is wider than the phone screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def log_in(page, base_url, username):
    page.goto(f"{base_url}/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def open_menu(page):
    """On a phone the navigation and the user's links fold behind the header's "Menu" button
    (static/js/menu.js): open it before clicking one. On a wide screen they show already."""
    button = page.get_by_role("button", name="Menu", exact=True)
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
