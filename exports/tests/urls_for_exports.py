"""Throwaway urlconf: tiendo's urls plus the exports app's (delete once tiendo.urls includes them)."""

from django.urls import include, path

from tiendo.urls import urlpatterns as tiendo_patterns

urlpatterns = [*tiendo_patterns, path("documents/", include("exports.urls"))]
