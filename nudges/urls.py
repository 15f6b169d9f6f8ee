from django.urls import path

from . import views

app_name = "nudges"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
]
