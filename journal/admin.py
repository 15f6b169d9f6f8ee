from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Operators see that entries exist, not what people wrote in them."""

    list_display = ["id", "user", "kind", "day", "is_private", "created_at"]
    list_filter = ["kind", "is_private"]
    fields = ["user", "kind", "day", "is_private", "created_at", "updated_at", "deleted_at"]
    readonly_fields = fields
    search_fields = ["user__email"]
