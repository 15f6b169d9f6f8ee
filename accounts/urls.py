from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("delete/", views.account_delete, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
]
