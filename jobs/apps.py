from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from jobs import queue  # noqa: F401  (connects the retry rule to the worker's signal)
