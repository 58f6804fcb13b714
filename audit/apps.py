from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from audit import receivers, registration
        from units.signals import children_added, recorded_in_bulk

        registration.register_models()
        children_added.connect(receivers.on_children_added, dispatch_uid="audit.children_added")
        recorded_in_bulk.connect(receivers.on_recorded_in_bulk, dispatch_uid="audit.recorded_in_bulk")
