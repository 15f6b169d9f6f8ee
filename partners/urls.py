from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.link_page, name="link"),
    path("invite/", views.link_invite, name="invite"),
    path("invite/by-hand/", views.link_invite_by_hand, name="invite_by_hand"),
    path("end/", views.link_end, name="end"),
    path("switches/", views.link_switches, name="switches"),
    path("notices/", views.link_notices, name="notices"),
    path("join/<str:token>/", views.join, name="join"),
    path("question/", views.question, name="question"),
    path("question/skip/", views.question_skip, name="question_skip"),
    path("plan/", views.plan, name="plan"),
    path("appreciation/<id:pk>/send/", views.appreciation_send, name="appreciation_send"),
    path("appreciation/<id:pk>/react/", views.appreciation_react, name="appreciation_react"),
]
