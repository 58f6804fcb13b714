from django.urls import path

from reporting.views import spreadsheets

urlpatterns = [
    path("periods/<int:period_id>/spreadsheet/<str:unit_code>/", spreadsheets.spreadsheet_upload,
         name="spreadsheet_upload"),
    path("periods/<int:period_id>/spreadsheet/<str:unit_code>/download/", spreadsheets.spreadsheet_download,
         name="spreadsheet_download"),
    path("periods/<int:period_id>/spreadsheet/<str:unit_code>/confirm/", spreadsheets.spreadsheet_confirm,
         name="spreadsheet_confirm"),
]
