from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from api import audit  # noqa: F401  (names the token in every audit entry of an API request)
