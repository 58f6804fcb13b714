from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from audit.labels import name_events
        from reporting.models import Report

        # How the audit trail names the steps reporting.actions records.
        name_events(Report.Step.choices)
        name_events({"opened": pgettext_lazy("audit event", "opened"),
                     "closed": pgettext_lazy("audit event", "closed")})
