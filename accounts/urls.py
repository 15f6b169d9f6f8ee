from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("delete/", views.account_delete, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
    path("two-step/", views.two_step_required, name="two_step_required"),
    path("two-step/continue/", views.two_step_continue, name="two_step_continue"),
]
