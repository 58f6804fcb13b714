from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from tiendo.views import help_page

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboards:dashboard", permanent=False), name="home"),
    path("dashboards/", include("dashboards.urls")),
    path("documents/", include("exports.urls")),
    path("accounts/", include("accounts.urls")),
    path("units/", include("units.urls")),
    path("reorganisations/", include("reorganising.urls")),
    path("programs/", include("programs.urls")),
    path("reporting/plans/", include("plans.urls")),
    path("reporting/", include("reporting.urls")),
    path("registries/", include("registries.urls")),
    path("audit/", include("audit.urls")),
    path("api/", include("api.urls")),
    path("notifications/", include("notifications.urls")),
    path("tro-giup/", help_page, name="help"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "tiendo.views.bad_request"
