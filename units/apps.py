from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Union units")

    def ready(self):
        from django.db.models.signals import post_save

        from units import history
        from units.models import Unit
        from units.signals import children_added

        # Every unit has its first dated parent link from the moment it exists.
        post_save.connect(history.on_unit_saved, sender=Unit, dispatch_uid="units-first-link")
        children_added.connect(history.on_children_added, dispatch_uid="units-first-links-bulk")
