"""What the department writes before a document is generated: the four narrative parts of a
yearly evaluation or of the 5-year review, and the details of the document itself (number,
date, signature, distribution list), kept per unit, kind and year.

Everything else in a document comes from the data (exports.builder); a blank detail here
means "use the default" (the program's signature and distribution list, today's date).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program
from units.models import Unit


class Kind(models.TextChoices):
    """The glossary's names (yearly_review, term_review)."""

    YEARLY_REVIEW = "yearly_review", _("yearly evaluation")
    TERM_REVIEW = "term_review", _("5-year review")

    @classmethod
    def current(cls, value: str) -> str | None:
        """The kind an address names, old names included: "yearly" and "term" were the kinds'
        names until December 2026, and bookmarks and saved links still say them."""
        value = OLD_KIND_NAMES.get(value, value)
        return value if value in cls.values else None


OLD_KIND_NAMES = {"yearly": Kind.YEARLY_REVIEW.value, "term": Kind.TERM_REVIEW.value}


class Narrative(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("program"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="narratives", verbose_name=_("unit"))
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    # The year evaluated; for the 5-year review, the program's last year.
    year = models.PositiveSmallIntegerField(_("year"))

    achievements = models.TextField(_("results achieved"), blank=True)
    shortcomings = models.TextField(_("shortcomings and limitations"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    directions = models.TextField(_("directions and tasks ahead"), blank=True)

    number = models.CharField(_("document number"), max_length=20, blank=True,
                              help_text=_("Filled in by the records office when the document is issued; "
                                          "leave it blank to print an empty number."))
    issued_on = models.DateField(_("date of issue"), null=True, blank=True,
                                 help_text=_("Leave it blank to date the document on the day it is generated."))
    signer_on_behalf = models.CharField(_("signing on behalf of"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True,
                                  help_text=_("One recipient a line; the last line is the file copy (Lưu: VT, …)."))

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    # Optimistic locking (exports.actions.do_save_narrative): every save bumps it, and a save
    # based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("document narrative")
        verbose_name_plural = _("document narratives")
        constraints = [
            models.UniqueConstraint(fields=["program", "unit", "kind", "year"], name="narrative_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.year}"

    @staticmethod
    def paragraphs(text: str) -> list[str]:
        """A narrative as paragraphs: one per non-empty line."""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DocumentBuild(models.Model):
    """A document being built for a user right now (exports.limits): one row per build in
    progress, removed when it ends. In the database so that every server process sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%H:%M:%S}"
