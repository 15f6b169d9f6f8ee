import pytest
from django.core.exceptions import ValidationError

from core.constraints import CheckConstraint
from journal.models import Entry

pytestmark = pytest.mark.django_db


def _urge(**fields) -> Entry:
    return Entry(kind="urge", strength=11, **fields)


def test_a_constraint_on_fields_the_form_edits_is_still_checked():
    with pytest.raises(ValidationError) as error:
        _urge().validate_constraints(exclude={"moments", "why"})

    assert "entry_urge_strength_1_to_10" in str(error.value)


def test_a_constraint_naming_a_field_the_form_leaves_out_is_skipped():
    _urge().validate_constraints(exclude={"strength"})  # as Django's own: nothing raised


def test_migrations_see_djangos_check_constraint():
    constraint = next(c for c in Entry._meta.constraints if isinstance(c, CheckConstraint))

    assert constraint.deconstruct()[0] == "django.db.models.CheckConstraint"
