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
    are the outbox's record of what was sent (nudges/services/outbox.py): look, don't edit."""

    list_filter = ["status"]
    search_fields = ["user__email"]


@admin.register(NudgeDelivery)
class NudgeDeliveryAdmin(DeliveryAdmin):
    list_display = ["user", "local_date", "status", "due_at", "sent_at"]
    list_filter = ["status", "channel"]


@admin.register(CheckInDelivery)
class CheckInDeliveryAdmin(DeliveryAdmin):
    list_display = ["user", "week_start", "status", "due_at", "sent_at"]


@admin.register(OneOffReminder)
class OneOffReminderAdmin(DeliveryAdmin):
    list_display = ["user", "purpose", "status", "due_at", "sent_at"]
    list_filter = ["purpose", "status"]
