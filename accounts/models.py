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
