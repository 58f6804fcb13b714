"""Values a client sends for a report, checked by the very form the page uses
(reporting.forms.ReportForm: types, bounds, lengths), so that the API accepts what the page
accepts and nothing else. Values come as JSON (numbers, true/false, texts, dates) or as the
strings of a CSV or ADX file; either way they become the form's fields."""

from __future__ import annotations

import datetime
from decimal import Decimal

from programs.models import DataElement
from reporting.forms import COMMENT_SUFFIX, NO, YES, ReportForm

TRUE_WORDS = {"true", "1", "yes", "có", "co"}
FALSE_WORDS = {"false", "0", "no", "không", "khong"}


def as_form_text(element: DataElement, value) -> str:
    """A JSON or file value as the form field's text ("" for none)."""
    if value is None:
        return ""
    if element.type == "boolean":
        if isinstance(value, bool):
            return YES if value else NO
        word = str(value).strip().lower()
        return YES if word in TRUE_WORDS else NO if word in FALSE_WORDS else word
    if isinstance(value, bool):  # true is no number
        return "not-a-number" if element.type in ("count", "percent") else str(value)
    if isinstance(value, (int, float, Decimal)):
        return format(Decimal(str(value)), "f")
    if isinstance(value, (dict, list)):
        return "\x00"  # refused by every field
    return str(value)


def checked_values(elements: list[DataElement], values: dict, comments: dict) -> tuple[dict, dict, list[dict]]:
    """The given values and comments, cleaned by the form: (values, comments, problems), each
    problem {"field": code, "message": …}. Only the codes given are returned (a missing code is
    left as it is, null clears a value)."""
    by_code = {e.code: e for e in elements}
    problems = [{"field": code, "message": "Đơn vị này không báo cáo chỉ tiêu này. / The unit does not report "
                                           "this data element."}
                for code in [*values, *comments] if code not in by_code]
    if problems:
        return {}, {}, problems
    data = {"version": 0}
    for code, value in values.items():
        data[code] = as_form_text(by_code[code], value)
    for code, comment in comments.items():
        data[code + COMMENT_SUFFIX] = comment or ""
    form = ReportForm(elements, data=data)
    if not form.is_valid():
        for name, errors in form.errors.items():
            code = name.removesuffix(COMMENT_SUFFIX)
            if code in values or code in comments:
                problems += [{"field": name, "message": str(error)} for error in errors]
        if problems:
            return {}, {}, problems
    cleaned = form.values()
    kept_values = {code: cleaned[code] for code in values}
    kept_comments = {code: form.comments()[code] for code in set(comments) | set(values)
                     if code in comments}
    return kept_values, kept_comments, []


def as_json(value):
    """A stored value as JSON gives it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def as_file_text(value) -> str:
    """A stored value as a CSV or ADX file writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(as_json(value))
