from django.contrib import admin

from outbox.admin import DeliveryAdmin

from .models import CheckInDelivery, NudgeDelivery, OneOffReminder, ReminderSchedule


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "local_time", "next_due_at", "channel"]
    list_filter = ["enabled", "channel"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


admin.site.register([CheckInDelivery, OneOffReminder], DeliveryAdmin)
admin.site.register(
    NudgeDelivery,
    DeliveryAdmin,
    list_display=["user", "local_date", "status", "due_at", "sent_at"],
    list_filter=["status", "channel"],
)
