from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("welcome/", views.first_run, name="first_run"),
]
