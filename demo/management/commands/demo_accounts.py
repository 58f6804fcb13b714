
from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email, refuse_outside_debug
from accounts.models import Role, User
from audit.commands import RecordedCommand
from units.models import UPPER_UNION_KINDS, Unit, UnitKind

# An Giang's telephone area code: the demo's upper-level unions answer on plausible numbers.
AREA_CODE = "0296"


def give_approvers_a_contact() -> int:
    """Every open upper-level union (and the province) without a contact gets its office and a
    phone, so that a grassroots officer's form names whom to call (the approver's contact); a
    contact someone entered is kept. Returns how many were given one."""
    kinds = (UnitKind.PROVINCE, *UPPER_UNION_KINDS)
    missing = list(Unit.objects.filter(kind__in=kinds, valid_to__isnull=True, phone=""))
    for unit in missing:
        unit.contact_name = unit.contact_name or "Văn phòng (bộ phận tổng hợp)"
        number = f"{3800000 + unit.pk * 37 % 199999:07d}"  # "0296 38x xxxx", one per unit
        unit.phone = f"{AREA_CODE} {number[:3]} {number[3:]}"
    Unit.objects.bulk_update(missing, ["contact_name", "phone"])
    return len(missing)


def demo_grassroots_unit() -> Unit | None:
    """The first Long Xuyên grassroots union still open: by code, not as a child of AG.883, so
    that it is found after the 2025 reorganisation moved it to a ward union."""
    return Unit.objects.grassroots().active().filter(code__startswith="AG.883.").order_by("code").first()


class Command(RecordedCommand):
    help = "Create (or reset) the demo accounts and print their logins."

    def handle(self, *args, **options):
        refuse_outside_debug("demo_accounts")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, code, role in DEMO_ACCOUNTS:
            unit = Unit.objects.filter(code=code).first() if code else demo_grassroots_unit()
            if unit is None:
                self.stderr.write(f"  {username}: skipped, unit {code or 'grassroots'} not loaded")
                continue
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.unit, user.role = full_name, unit, role
            # So that "Quên mật khẩu?" can be tried: the mail lands in var/mail/ (the file backend).
            user.email = demo_email(username)
            user.is_staff = user.is_superuser = role == Role.PROVINCE_ADMIN
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"  {username:<10} {user.get_role_display():<24} {unit.name}")
        self.stdout.write(f"contacts: {give_approvers_a_contact()} upper-level unions given an office phone")
