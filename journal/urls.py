from django.urls import path

from .kinds import KINDS
from .views import breaks, check_in, ladder, questions, self_checks
from .views import entries as views

app_name = "journal"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    *(
        path(f"{kind.url_segment}/new/", views.entry_new, {"kind": kind.value}, name=f"{value}_new")
        for value, kind in KINDS.items()
        if not kind.own_pages
    ),
    path("entries/<id:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<id:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<id:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<id:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("entries/<id:pk>/status/", views.apology_status, name="apology_status"),
    path("entries/<id:pk>/told/", views.entry_told, name="entry_told"),
    path("breaks/new/", breaks.break_new, name="break_new"),
    path("breaks/<id:pk>/message/", breaks.break_message, name="break_message"),
    path("breaks/<id:pk>/cancel/", breaks.break_cancel, name="break_cancel"),
    path("breaks/<id:pk>/back/", breaks.break_back, name="break_back"),
    path("questions/today/", questions.question_today, name="answer_new"),
    path("questions/today/skip/", questions.question_skip, name="question_skip"),
    path("insights/", views.insights, name="insights"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("print/", views.print_range, name="print"),
    path("check-in/", check_in.check_in_new, name="check_in_new"),
    path("check-in/past/", check_in.check_in_past, name="check_in_past"),
    path("check-in/together/", check_in.check_in_together, name="check_in_together"),
    path("check-in/reminder/", check_in.check_in_reminder, name="check_in_reminder"),
    path("self-checks/", self_checks.self_checks, name="self_checks"),
    path("self-checks/four-abilities/", self_checks.four_abilities_new, name="four_abilities_new"),
    path("self-checks/love-languages/", self_checks.love_languages_new, name="love_languages_new"),
    path("self-checks/<id:pk>/", self_checks.self_check_result, name="self_check_result"),
    path("ladder/", ladder.ladder, name="ladder"),
    path("ladder/new/", ladder.rung_new, name="rung_new"),
    path("ladder/suggestions/", ladder.ladder_first_rungs, name="ladder_first_rungs"),
    path("ladder/<id:pk>/move/", ladder.rung_move, name="rung_move"),
    path("ladder/<id:pk>/done/", ladder.rung_done, name="rung_done"),
    path("ladder/<id:pk>/taken/", ladder.rung_taken, name="rung_taken"),
]
