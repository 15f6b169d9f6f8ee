from django.contrib import admin

from core.admin import ReadOnlyAdmin
from outbox.admin import DeliveryAdmin

from .models import (
    AccessLog,
    ClientInvitation,
    Comment,
    DigestDelivery,
    Invitation,
    NoticePreference,
    Share,
)


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

    list_display = ["id", "author", "therapist", "entry", "created_at", "read_by_client_at"]
    fields = ["author", "therapist", "entry", "created_at", "updated_at", "read_by_client_at"]


@admin.register(ClientInvitation)
class ClientInvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "therapist", "email", "created_at", "used_at", "declined_at"]
    exclude = ["token_hash"]


@admin.register(NoticePreference)
class NoticePreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "comments_email", "entries_email"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(DeliveryAdmin):
    """Each notice email's claim and outcome; counts only, as the email itself."""

    list_display = ["id", "user", "kind", "local_date", "status", "sent_at"]
    list_filter = ["kind", "status"]
