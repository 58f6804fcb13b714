from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from indicators import rollups
        from reporting import signals as reporting_signals
        from units import signals as units_signals

        reporting_signals.reports_changed.connect(rollups.on_reports_changed, dispatch_uid="rollups-reports")
        reporting_signals.period_changed.connect(rollups.on_period_changed, dispatch_uid="rollups-period")
        units_signals.units_changed.connect(rollups.on_units_changed, dispatch_uid="rollups-units")
