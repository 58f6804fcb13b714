"""A batch being prepared: what the province administrator uploaded or picked on the page, in the
batch format of units.reorganisation, kept until it is applied (then it becomes a
units.Reorganisation) or thrown away."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReorganisationDraft(models.Model):
    # {"batch": {code, title, reason, document}, "units": [...], "changes": [...]}, JSON dates.
    data = models.JSONField(_("batch"), default=dict)
    source = models.CharField(_("source"), max_length=255, blank=True)  # the uploaded file's name, or ""
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reorganisation draft")
        verbose_name_plural = _("reorganisation drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def code(self) -> str:
        return self.data.get("batch", {}).get("code", "")

    @property
    def title(self) -> str:
        return self.data.get("batch", {}).get("title", "")

    @property
    def change_count(self) -> int:
        return len(self.data.get("units", [])) + len(self.data.get("changes", []))
