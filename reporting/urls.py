from django.urls import include, path

app_name = "reporting"
urlpatterns = [
    path("", include("reporting.urls_entry")),
    path("", include("reporting.urls_spreadsheets")),
]
