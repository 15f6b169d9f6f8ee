from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AccessLog, Comment, Invitation, Share


@admin.register(Share)
class ShareAdmin(ReadOnlyAdmin):
    list_display = ["id", "client", "therapist", "invited_email", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["client__email", "therapist__email", "invited_email"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "share", "email", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """The access log is append-only: nobody edits or deletes a row through the app."""

    list_display = ["created_at", "who", "share", "what", "path"]
    search_fields = ["who", "share__client__email"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Operators see that comments exist, not what therapists wrote."""

    list_display = ["id", "author", "entry", "created_at", "read_by_client_at"]
    fields = ["author", "entry", "created_at", "updated_at", "read_by_client_at"]
