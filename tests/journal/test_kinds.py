"""The kinds registry (journal/kinds/) declares each kind once: everything follows it."""

from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from journal import kinds
from journal.forms import FORMS
from journal.models import Entry
from sharing.forms import ScopesForm
from sharing.models import SCOPE_FIELDS


def test_every_declared_field_is_a_column_of_the_entry_table():
    columns = {field.name for field in Entry._meta.concrete_fields}
    for kind in kinds.KINDS.values():
        assert set(kind.field_names) <= columns, kind.value


def test_each_kinds_form_asks_for_its_editable_fields_in_declared_order():
    for value, kind in kinds.KINDS.items():
        names = list(FORMS[value].base_fields)
        assert names[: len(kind.editable_names)] == kind.editable_names
        assert [FORMS[value].base_fields[n].label for n in kind.editable_names] == [
            kind.get(n).question for n in kind.editable_names
        ]


def test_each_kind_has_its_own_share_scope_and_the_sharing_form_offers_it():
    scopes = [kind.scope for kind in kinds.KINDS.values()]
    assert len(set(scopes)) == len(scopes)
    assert set(scopes) <= set(SCOPE_FIELDS)
    assert set(SCOPE_FIELDS) <= set(ScopesForm.base_fields)


def test_the_ratio_counts_gratitude_and_bids_turned_toward_as_positive(alice):
    from tests.factories import ApologyFactory, BidFactory, GratitudeFactory

    GratitudeFactory(user=alice)
    toward = BidFactory(user=alice, response="toward")
    away = BidFactory(user=alice, response="away")
    against = BidFactory(user=alice, response="against")
    ApologyFactory(user=alice)

    assert Entry.objects.positive().count() == 2
    assert set(Entry.objects.negative()) == {away, against}
    assert (toward.moment, away.moment) == ("positive", "negative")


def test_a_kind_registered_after_the_models_loaded_is_refused():
    late = replace(kinds.GRATITUDE, value="late")

    with pytest.raises(ImproperlyConfigured, match="while app configs load"):
        kinds.register(late)
    assert "late" not in kinds.KINDS
