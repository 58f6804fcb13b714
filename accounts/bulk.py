"""Accounts in bulk from a spreadsheet: the template, and an uploaded file read and checked.

The page (accounts.views) takes two steps, as the offline report spreadsheets do: the upload
reads and checks the file and shows the accounts it would create, writing nothing; the file
waits (reporting.uploads) until the uploader confirms; the confirmation reads and checks it
again and creates every account in one transaction (accounts.actions.do_create_accounts), or
none. Reading goes through the spreadsheets' own reader (reporting.spreadsheets.reading), so
what a file may hold is counted before openpyxl reads any of it.

One row per account: unit code, full name, email, role. The email address is the login and is
where the "set your password" link goes; no password is ever in the file or on a page. A row is
refused, named by its row and column, when its unit is not one the uploader may give accounts
for (accounts.permissions.can_create_account_for; a unit outside the page's unit answers like
a code that does not exist, so codes cannot be probed), when its email address is already an
account's or is on an earlier row, or when a cell is missing or unreadable.

The file's own words (sheet name, headers, role names) are constants, not translated strings:
they are a file format, read back whatever the interface language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.forms import taken_emails
from accounts.models import Role, User
from accounts.permissions import can_create_account_for, can_create_accounts_at, grantable_roles
from reporting.spreadsheets import SheetError
from reporting.spreadsheets.cells import cell_text
from reporting.spreadsheets.layout import HEADER_FILL
from reporting.spreadsheets.reading import Deadline, ImportTooLong, open_workbook, too_long_message
from units.models import Unit
from units.text import fold, keep_as_words

SHEET = "Tài khoản"
UNITS_SHEET = "Đơn vị"
CODE, NAME, EMAIL, ROLE = "Mã đơn vị", "Họ và tên", "Email", "Vai trò"
HEADERS = (CODE, NAME, EMAIL, ROLE)
HEADER_ROW, FIRST_ROW = 1, 2
MAX_ACCOUNTS = 1000  # rows of one file: a district has a few hundred grassroots unions
ROLE_WORDS = {Role.APPROVER: "Người duyệt", Role.REPORTER: "Người báo cáo", Role.VIEWER: "Người xem"}
ROLE_BY_WORD = {fold(word): role for role, word in ROLE_WORDS.items()} | {role.value: role for role in ROLE_WORDS}
MAX_NAME = User._meta.get_field("first_name").max_length


@dataclass(frozen=True)
class NewAccount:
    row: int
    unit: Unit
    full_name: str
    email: str
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass
class AccountsPlan:
    """What confirming the file would create, or why it cannot (then nothing is created)."""

    accounts: list[NewAccount] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.accounts)


def pending_key(root: Unit) -> str:
    """The page a file waiting for its confirmation was uploaded on, as reporting.uploads keeps
    it (with period 0: no period here), so that a token opens it on that page only."""
    return f"accounts/{root.code}"


def template_filename(root: Unit) -> str:
    return f"tai-khoan-{root.code}.xlsx"


def accountable_units(user: User, root: Unit) -> list[Unit]:
    """The units of `root`'s subtree the user may give some account to (the template's list)."""
    return [unit for unit in Unit.objects.subtree(root) if can_create_accounts_at(user, unit)]


def build_template(user: User, root: Unit) -> bytes:
    """An empty sheet of accounts with its headers and a list of roles to choose from, and a
    second sheet listing the units the user may give accounts to (code and name)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET
    for column, header in enumerate(HEADERS, start=1):
        cell = keep_as_words(ws.cell(row=HEADER_ROW, column=column, value=header))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for letter, width in zip("ABCD", (18, 32, 34, 18), strict=True):
        ws.column_dimensions[letter].width = width
    words = [ROLE_WORDS[role] for role in grantable_roles(user)]
    roles = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                           error=_("Choose a role from the list."), showErrorMessage=True)
    ws.add_data_validation(roles)
    roles.add(f"D{FIRST_ROW}:D{FIRST_ROW + MAX_ACCOUNTS - 1}")
    ws.freeze_panes = f"A{FIRST_ROW}"

    units = workbook.create_sheet(UNITS_SHEET)
    for column, header in enumerate((CODE, "Tên đơn vị"), start=1):
        units.cell(row=1, column=column, value=header).font = Font(bold=True)
    for number, unit in enumerate(accountable_units(user, root), start=2):
        keep_as_words(units.cell(row=number, column=1, value=unit.code))
        keep_as_words(units.cell(row=number, column=2, value=unit.name))
    units.column_dimensions["A"].width, units.column_dimensions["B"].width = 18, 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plan_accounts(content: bytes, user: User, root: Unit) -> AccountsPlan:
    """Read and check the file; writes nothing."""
    plan = AccountsPlan()
    deadline = Deadline()
    workbook, problem = open_workbook(content, deadline)
    if workbook is None:
        plan.errors.append(_file_error(problem or _("This is not an .xlsx file. Download the template from this "
                                                    "page, fill it in and save it as .xlsx.")))
        return plan
    try:
        _read(workbook, plan, user, root, deadline)
    except ImportTooLong:
        plan.errors = [_file_error(too_long_message())]
    finally:
        workbook.close()
    return plan


def _file_error(message: str) -> SheetError:
    return SheetError("", None, "", "", message)


def _error(row: int, column: int, message: str) -> SheetError:
    return SheetError(SHEET, row, get_column_letter(column), HEADERS[column - 1], message)


def _read(workbook, plan: AccountsPlan, user: User, root: Unit, deadline: Deadline) -> None:
    if SHEET not in workbook.sheetnames:
        plan.errors.append(_file_error(_("The file has no sheet “%(sheet)s”. Download the template from this "
                                         "page and fill it in.") % {"sheet": SHEET}))
        return
    rows = workbook[SHEET].iter_rows(min_row=HEADER_ROW, max_row=FIRST_ROW + MAX_ACCOUNTS, max_col=len(HEADERS),
                                     values_only=True)
    headers = [fold(cell_text(value)) for value in next(rows, ())]
    if headers[:len(HEADERS)] != [fold(header) for header in HEADERS]:
        plan.errors.append(SheetError(SHEET, HEADER_ROW, "A", "", _(
            "The first row must hold the template's headers: %(headers)s.") % {"headers": ", ".join(HEADERS)}))
        return
    cells = []
    for number, values in enumerate(rows, start=FIRST_ROW):
        deadline.check()
        texts = [cell_text(value) for value in (*values, None, None, None, None)[:len(HEADERS)]]
        if any(texts):
            cells.append((number, texts))
    if len(cells) and cells[-1][0] >= FIRST_ROW + MAX_ACCOUNTS:
        plan.errors.append(_file_error(_("The file holds more than %(max)s accounts: split it into smaller "
                                         "files.") % {"max": MAX_ACCOUNTS}))
        return
    if not cells:
        plan.errors.append(_file_error(_("The file holds no account: fill in one row per account below the "
                                         "headers.")))
        return
    _check_rows(cells, plan, user, root)


def _check_rows(cells: list[tuple[int, list[str]]], plan: AccountsPlan, user: User, root: Unit) -> None:
    units = {unit.code: unit for unit in Unit.objects.subtree(root).filter(code__in={texts[0] for _, texts in cells})}
    taken = taken_emails({texts[2].lower() for _, texts in cells})
    first_row_of: dict[str, int] = {}
    for number, (code, full_name, email, role_word) in cells:
        errors = []
        unit = units.get(code)
        if not code:
            errors.append(_error(number, 1, _("Write the unit's code.")))
        elif unit is None:
            errors.append(_error(number, 1, _("%(code)s is not the code of a unit of %(root)s.") % {
                "code": code, "root": root.name}))
        if not full_name:
            errors.append(_error(number, 2, _("Write the person's full name.")))
        elif len(full_name) > MAX_NAME:
            errors.append(_error(number, 2, _("The name is longer than %(max)s characters.") % {"max": MAX_NAME}))
        email = email.lower()
        errors += _email_errors(number, email, first_row_of, taken)
        role = ROLE_BY_WORD.get(fold(role_word))
        if role is None:
            errors.append(_error(number, 4, _("Write one of the roles: %(roles)s.") % {
                "roles": ", ".join(ROLE_WORDS[r] for r in grantable_roles(user))}))
        elif unit is not None and not can_create_account_for(user, unit, role):
            errors.append(_error(number, 4, _("You cannot give the role “%(role)s” at %(unit)s.") % {
                "role": ROLE_WORDS[role], "unit": unit.code}))
        if errors:
            plan.errors += errors
        else:
            plan.accounts.append(NewAccount(number, unit, full_name, email, role))


def _email_errors(number: int, email: str, first_row_of: dict[str, int], taken: set[str]) -> list[SheetError]:
    if not email:
        return [_error(number, 3, _("Write the person's email address: the link to set a password goes there."))]
    try:
        validate_email(email)
    except ValidationError:
        return [_error(number, 3, _("“%(email)s” is not an email address.") % {"email": email})]
    if email in first_row_of:
        return [_error(number, 3, _("%(email)s is already on row %(row)s: one account per email address.") % {
            "email": email, "row": first_row_of[email]})]
    first_row_of[email] = number
    if email in taken:
        return [_error(number, 3, _("An account with the email address %(email)s exists already.") % {
            "email": email})]
    return []
