from django.urls import path

from . import views

app_name = "sharing"
client = "clients/<int:client_id>/"
entry = client + "entries/<int:entry_id>/"
urlpatterns = [
    # The client's side.
    path("", views.index, name="index"),
    path("invite/", views.invite, name="invite"),
    path("<int:share_id>/", views.share_detail, name="share_detail"),
    path("<int:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("log/", views.access_log, name="access_log"),
    path("comments/", views.comments, name="comments"),
    # The emailed link.
    path("accept/<str:token>/", views.accept, name="accept"),
    # The therapist's side.
    path("clients/", views.clients, name="clients"),
    path(client, views.client_journal, name="client_journal"),
    path(client + "insights/", views.client_insights, name="client_insights"),
    path(client + "progress/", views.client_progress, name="client_progress"),
    path(client + "end/", views.share_end, name="share_end"),
    path(entry, views.client_entry, name="client_entry"),
    path(entry + "comments/", views.comment_create, name="comment_create"),
    path(entry + "comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path(entry + "comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
]
