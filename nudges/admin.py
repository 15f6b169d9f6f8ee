from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import CheckInDelivery, NudgeDelivery, OneOffReminder, ReminderSchedule


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "local_time", "next_due_at", "channel"]
    list_filter = ["enabled", "channel"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


class DeliveryAdmin(ReadOnlyAdmin):
    """A message's claim and outcome, whatever its purpose; never what it said. The rows
    are the outbox's record of what was sent (outbox/services.py): look, don't edit."""

    list_display = ["user", "status", "due_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["user__email"]


admin.site.register([CheckInDelivery, OneOffReminder], DeliveryAdmin)
admin.site.register(
    NudgeDelivery,
    DeliveryAdmin,
    list_display=["user", "local_date", "status", "due_at", "sent_at"],
    list_filter=["status", "channel"],
)
