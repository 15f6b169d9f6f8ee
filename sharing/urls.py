from django.urls import path

from . import views

app_name = "sharing"
client = "clients/<id:client_id>/"
entry = client + "entries/<id:entry_id>/"
urlpatterns = [
    # The client's side.
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("<id:share_id>/", views.share_detail, name="share_detail"),
    path("<id:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("log/", views.access_log, name="access_log"),
    path("inbox/", views.inbox, name="inbox"),
    path(
        "<id:share_id>/conversation/",
        views.conversation_with_therapist,
        name="conversation_with_therapist",
    ),
    path("comments/", views.comments, name="comments"),
    path("<id:share_id>/comments/", views.share_comments, name="share_comments"),
    path("entries/<id:entry_id>/comments/", views.entry_comments, name="entry_comments"),
    path(
        "entries/<id:entry_id>/with/<id:therapist_id>/reply/",
        views.reply_create,
        name="reply_create",
    ),
    path("replies/<id:comment_id>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<id:comment_id>/delete/", views.reply_delete, name="reply_delete"),
    path("notices/", views.notices, name="notices"),
    path("homework/<id:homework_id>/", views.homework_answer, name="homework_answer"),
    path("entries/<id:entry_id>/talk-about/", views.entry_talk_about, name="entry_talk_about"),
    # The emailed links: a client's invitation to a therapist, a therapist's to a client.
    path("accept/<str:token>/", views.accept, name="accept"),
    path("accept/<str:token>/decline/", views.accept_decline, name="accept_decline"),
    path("join/<str:token>/", views.join, name="join"),
    path("join/<str:token>/decline/", views.join_decline, name="join_decline"),
    # The same invitation, answered from Today.
    path("invitations/<id:invitation_id>/", views.invitation_answer, name="invitation_answer"),
    path(
        "invitations/<id:invitation_id>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    # A client's invitation, answered from the list of clients.
    path(
        "clients/invited/<id:invitation_id>/",
        views.share_invitation_answer,
        name="share_invitation_answer",
    ),
    path(
        "clients/invited/<id:invitation_id>/decline/",
        views.share_invitation_decline,
        name="share_invitation_decline",
    ),
    # The therapist's side.
    path("clients/", views.clients, name="clients"),
    path("clients/invite/", views.client_invite, name="client_invite"),
    path(
        "clients/invitations/<id:invitation_id>/resend/",
        views.client_invitation_resend,
        name="client_invitation_resend",
    ),
    path(
        "clients/invitations/<id:invitation_id>/withdraw/",
        views.client_invitation_withdraw,
        name="client_invitation_withdraw",
    ),
    path(client, views.client_journal, name="client_journal"),
    path(client + "insights/", views.client_insights, name="client_insights"),
    path(client + "progress/", views.client_progress, name="client_progress"),
    path(client + "session/", views.session, name="session"),
    path(client + "end/", views.share_end, name="share_end"),
    path(client + "homework/", views.homework, name="homework"),
    path(
        client + "conversation/",
        views.conversation_with_client,
        name="conversation_with_client",
    ),
    path(client + "notes/", views.session_notes, name="session_notes"),
    path(
        client + "notes/<id:note_id>/delete/",
        views.session_note_delete,
        name="session_note_delete",
    ),
    path("notes/export.csv", views.session_notes_export, name="session_notes_export"),
    path(entry, views.client_entry, name="client_entry"),
    path(entry + "comments/", views.comment_create, name="comment_create"),
    path(entry + "comments/<id:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path(entry + "comments/<id:comment_id>/delete/", views.comment_delete, name="comment_delete"),
]
