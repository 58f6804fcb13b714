"""What the bad-input tests share: the payloads, counting what is stored, extra data elements,
and a client that checks CSRF as the production site does."""

from __future__ import annotations

from django.test import Client
from django.utils.html import escape

from exports.models import Narrative
from plans.models import ImplementationPlan
from programs.models import DataElement, TaskProgress
from programs.testing import add_element
from reporting.models import DataValue, Report
from reporting.testing import report_steps

# Django refuses a form body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) before any form
# sees it; 10 MB is well past that, and well past every field's own limit.
TEN_MB = "A" * (10 * 1024 * 1024)
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Control characters copy-and-paste brings (Word's manual line break is a vertical tab): a .docx
# or .xlsx cannot hold them, and python-docx and openpyxl raise on them.
CONTROL = "tab\there, vertical tab\x0b, form feed\x0c, escape\x1b, bell\x07"
NFC_SCHOOL = "Trường"


def counts() -> dict[str, int]:
    """How many rows of each kind a bad input could have written."""
    stored = {model.__name__: model.objects.count()
              for model in (Report, DataValue, ImplementationPlan, Narrative, TaskProgress)}
    return {**stored, "report steps": report_steps().count()}


def escaped_in(html: str, text: str) -> bool:
    """The text is in the page, escaped as Django's templates escape it."""
    return escape(text) in html


def raw_tags_in(html: str) -> list[str]:
    """The payloads' raw tags found in a page (none should be)."""
    return [tag for tag in ("<script>alert(1)", "<img src=x onerror") if tag in html]


def csrf_client(user, form_page: str) -> Client:
    """A client that checks CSRF tokens, as the production site does (the CSRF middleware
    reads the form body before the view), having opened `form_page` for its CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(form_page).status_code == 200
    return client


def add_elements(program) -> dict[str, DataElement]:
    """Elements of every type the An Giang program lacks, asked of grassroots unions: free
    text, a percent, a count with no upper bound."""
    specs = [
        ("remarks", "Nhận xét khác", "text", None),
        ("coverage", "Tỷ lệ bao phủ", "percent", None),
        ("volunteers", "Số tình nguyện viên", "count", None),
    ]
    return {
        code: add_element(program, code, label, kind, min_value=0, max_value=maximum)
        for code, label, kind, maximum in specs
    }
