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


PREVIEW = "html"  # the format of a preview's body, beside the writers' formats


class DocumentBuild(models.Model):
    """One official document as a file, built by the job worker (exports.jobs) from the data as
    `source` says (exports.building.document_source): the stored file is kept and given to every
    later request for the same document, until its data change; then a new build is made and
    the older file removed. Format "html" is the preview's body."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for its turn")
        BUILDING = "building", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("could not be built")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    format = models.CharField(_("file format"), max_length=10)  # a writer's identifier, or "html"
    # How the figures add up over a changing hierarchy (units.placement: "then" / "now").
    view = models.CharField(_("units as"), max_length=4, default="then")
    # What the document is built from: its data stamp, narrative version, date of issue, program revision.
    source = models.CharField(_("built from"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("asked for by"))
    requested_at = models.DateTimeField(_("asked for at"), db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)  # the name it is downloaded as
    title = models.CharField(_("title"), max_length=500, blank=True)
    data_stamp = models.CharField(_("data stamp"), max_length=300, blank=True)  # the line printed in it
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("document build")
        verbose_name_plural = _("document builds")
        constraints = [
            models.UniqueConstraint(fields=["program", "unit", "kind", "year", "format", "view", "source"],
                                    name="document_build_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year} {self.format} {self.state}"

    @property
    def done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def failed(self) -> bool:
        return self.state == self.State.FAILED
