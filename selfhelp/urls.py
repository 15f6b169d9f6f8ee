from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.get_help, name="get_help"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("healthz", include("health.urls")),
    path("admin/", admin.site.urls),
]
