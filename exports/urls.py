from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("builds/<int:build_id>/", views.build_status, name="build"),
    path("<str:unit_code>/<str:kind>/<int:year>/", views.preview, name="preview"),
    path("<str:unit_code>/<str:kind>/<int:year>/narratives/", views.narratives, name="narratives"),
    path("<str:unit_code>/<str:kind>/<int:year>/download/<str:fmt>/", views.download, name="download"),
]
