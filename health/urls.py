from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/nudges", views.healthz_nudges, name="nudges"),
    path("healthz/web", views.healthz_web, name="web"),
]
