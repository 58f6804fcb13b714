from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistriesConfig(AppConfig):
    name = "registries"
    verbose_name = _("Registries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from registries import prefill
        from reporting import extensions

        extensions.FINDINGS.append(prefill.registry_findings)
        extensions.PREFILL.append(prefill.prefilled)
        extensions.COUNTS.append(prefill.registry_values)
        extensions.SHEET_COUNTS.append(prefill.rule_counts)
        extensions.SHEET_FINDINGS.append(prefill.sheet_checks)
        extensions.PAGE_CONTEXT["registry"] = prefill.registry_context
