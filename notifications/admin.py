from django.contrib import admin

from notifications.models import DailyPass, Notification, Reminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "user", "kind", "subject", "read", "emailed_at"]
    list_filter = ["kind", "read"]
    search_fields = ["subject", "user__username"]
    raw_id_fields = ["user", "unit", "report"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "unit", "period", "step", "recipients", "sent_by"]
    list_filter = ["step"]
    raw_id_fields = ["unit", "sent_by"]


@admin.register(DailyPass)
class DailyPassAdmin(admin.ModelAdmin):
    list_display = ["day", "started_at", "reminders", "digests"]
