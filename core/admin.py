from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators may look; rows come from the app (its services, the content loader, users),
    never from the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
