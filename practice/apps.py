"""The practice tools: breaks, urges, the day's question, the weekly check-in, the two
self-checks and the vulnerability ladder. They store journal entries of their own kinds.

Their kinds are registered here, at import, not in ready(): Django imports every app's
config before any models, and journal/models.py builds Entry's choices and constraint from
the registry (journal/kinds/__init__.py). Their insight cards and the lessons path's focus
(the lowest ability) and what their reminders say are added in ready(), once models can be
imported.
"""

from django.apps import AppConfig

from journal import kinds as journal_kinds

from . import kinds

journal_kinds.register(*kinds.KINDS)


class PracticeConfig(AppConfig):
    name = "practice"

    def ready(self) -> None:
        from journal import insights
        from lessons import selectors as lesson_selectors
        from nudges import weekly
        from nudges.models import OneOffReminder
        from nudges.services import one_off

        from . import reminders, selectors

        insights.register_card(selectors.tools_card)
        insights.register_card(selectors.self_checks_card)
        lesson_selectors.register_focus(selectors.ability_focus)
        one_off.register_message(OneOffReminder.Purpose.BREAK_END, reminders.break_end_message)
        weekly.CHECKED_IN.append(reminders.checked_in)
