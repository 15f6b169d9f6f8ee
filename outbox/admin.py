from core.admin import ReadOnlyAdmin


class DeliveryAdmin(ReadOnlyAdmin):
    """A message's claim and outcome, whatever its purpose; never what it said. The rows
    are the outbox's record of what was sent (outbox/services.py): look, don't edit."""

    list_display = ["user", "status", "due_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["user__email"]
