from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="read"),
    path("email/", views.preferences, name="preferences"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/send/", views.remind, name="remind"),
]
