from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorganisingConfig(AppConfig):
    """The reorganisation tool: the province administrator's pages to prepare, preview, apply
    and undo a batch, and the counting of what a batch reaches above the units (reports, open
    periods, accounts, plans). It sits above units, reporting, accounts and plans, so that
    units.reorganisation knows only units."""

    name = "reorganising"
    verbose_name = _("Reorganisations")
