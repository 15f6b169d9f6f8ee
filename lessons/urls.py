from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("", views.lesson_path, name="path"),
    path("continue/", views.lesson_continue, name="continue"),
    path("<slug:slug>/", views.lesson_detail, name="detail"),
    path("<slug:slug>/done/", views.lesson_done, name="done"),
    path("<slug:slug>/not-done/", views.lesson_not_done, name="not_done"),
    path("<slug:slug>/reflection/", views.lesson_reflection, name="reflection"),
]
