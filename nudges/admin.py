from django.contrib import admin

from .models import NudgeDelivery, ReminderSchedule


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "local_time", "next_due_at", "channel"]
    list_filter = ["enabled", "channel"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(NudgeDelivery)
class NudgeDeliveryAdmin(admin.ModelAdmin):
    list_display = ["user", "local_date", "status", "due_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = [f.name for f in NudgeDelivery._meta.fields]
