"""Implementation plans, inside the `reporting` namespace at /reporting/."""

from django.urls import path

from reporting.views import plans

urlpatterns = [
    path("plans/", plans.plans_home, name="plan_home"),
    path("plans/file/<int:pk>/", plans.download, name="plan_download"),
    path("plans/<slug:program>/<str:code>/", plans.unit_plans, name="plan_unit"),
    path("plans/<slug:program>/<str:code>/status/", plans.status, name="plan_status"),
]
