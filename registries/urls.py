from django.urls import path

from registries import views

app_name = "registries"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:kind>/record/<int:pk>/", views.edit, name="edit"),
    path("<slug:kind>/record/<int:pk>/delete/", views.delete, name="delete"),
    path("<slug:kind>/<str:code>/", views.records, name="list"),
    path("<slug:kind>/<str:code>/new/", views.new, name="new"),
    path("<slug:kind>/<str:code>/xlsx/", views.export, name="export"),
    path("<slug:kind>/<str:code>/import/", views.upload, name="import"),
]
