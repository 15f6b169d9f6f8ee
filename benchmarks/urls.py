from django.urls import path

from . import views

app_name = "benchmarks"
urlpatterns = [
    path("bare/", views.bare, name="bare"),
    path("naive/", views.naive_list, name="naive"),
]
