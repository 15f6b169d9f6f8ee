"""The practice tools' pages. They live under /journal/ beside the entries they store
(selfhelp/urls.py includes both there); a tool without pages of its own (the urge to leave)
uses the journal's new-entry page, journal:<kind>_new. The Practice page lists them all at
/journal/practice/, beside them rather than at a top-level path, so every tool's address
still starts where its entries live."""

from django.urls import path

from .views import breaks, check_in, ladder, questions, self_checks, tools

app_name = "practice"
urlpatterns = [
    path("practice/", tools.practice_index, name="index"),
    path("breaks/new/", breaks.break_new, name="break_new"),
    path("breaks/<id:pk>/message/", breaks.break_message, name="break_message"),
    path("breaks/<id:pk>/cancel/", breaks.break_cancel, name="break_cancel"),
    path("breaks/<id:pk>/back/", breaks.break_back, name="break_back"),
    path("breaks/<id:pk>/back-early/", breaks.break_back_early, name="break_back_early"),
    path("questions/today/", questions.question_today, name="answer_new"),
    path("questions/today/skip/", questions.question_skip, name="question_skip"),
    path("check-in/", check_in.check_in_new, name="check_in_new"),
    path("check-in/start-over/", check_in.check_in_start_over, name="check_in_start_over"),
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
