"""Implementation plans, at /reporting/plans/ (where they were when they lived in reporting)."""

from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plans_home, name="home"),
    path("file/<int:pk>/", views.download, name="download"),
    path("<slug:program>/<str:code>/", views.unit_plans, name="unit"),
    path("<slug:program>/<str:code>/status/", views.status, name="status"),
]
