"""Users of tiendo: each belongs to one union unit and has one role there."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Department


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    APPROVER = "approver", _("Approver")
    REPORTER = "reporter", _("Reporter")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The user sees and acts on this unit and the units below it only."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, blank=True,
        help_text=_("For staff of the provincial federation: the department they work in."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_province_admin(self) -> bool:
        return self.role == Role.PROVINCE_ADMIN or self.is_superuser


class PasswordResetRequest(models.Model):
    """One "forgot my password" request, kept an hour so that resets can be throttled per
    address and per email address (accounts/throttle.py). The email is what was typed
    (lowercased), whether or not an account has it: counting only existing ones would let
    the throttle's answer tell which addresses have accounts."""

    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    address = models.GenericIPAddressField(null=True)
    email = models.CharField(max_length=254)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [models.Index(fields=["address", "requested_at"]), models.Index(fields=["email", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.email} from {self.address} at {self.requested_at:%Y-%m-%d %H:%M}"
