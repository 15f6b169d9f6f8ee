"""The tools' kinds are declared in practice/ and registered into the journal's registry."""

from journal import kinds
from journal.models import Entry
from practice import kinds as practice_kinds


def test_the_tools_kinds_follow_the_journals_own_in_the_registry_and_the_entry_table():
    journal_own = ["gratitude", "bid", "apology"]
    tools = [kind.value for kind in practice_kinds.KINDS]

    assert list(kinds.KINDS) == journal_own + tools
    assert [value for value, _ in Entry._meta.get_field("kind").choices] == journal_own + tools
    assert kinds.PRACTICE_CHOICES[-1] == (kinds.REFLECTION, "Reflection")


def test_the_tools_columns_take_their_choices_from_the_tools_declarations():
    who = Entry._meta.get_field("who")

    assert who.choices == practice_kinds.Who.choices
    assert Entry._meta.get_field("went_back").choices == practice_kinds.WentBack.choices
