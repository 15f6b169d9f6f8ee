"""A text too long is refused in our words, with the numbers as the help texts write them."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.core import validators

from core.forms import TextField

# Filled in by the browser's own script, never typed: its limits are never read by a person.
NOT_TYPED = {"nudges.forms.PushSubscriptionForm"}


def test_a_text_too_long_is_refused_with_the_limit_and_what_to_do():
    field = TextField(max_length=2000)

    with pytest.raises(forms.ValidationError) as refused:
        field.clean("a" * 2001)

    assert refused.value.messages == [
        "Keep it to 2,000 characters: this has 2,001. Nothing is lost: shorten it and save again."
    ]
    assert field.clean("a" * 2000) == "a" * 2000


def _typed_text_fields():
    """(form, field name, field) for every visible text field of the app's own forms; not an
    address (EmailField: an address past its limit is not an address either)."""
    for config in apps.get_app_configs():
        if "site-packages" in config.path:  # Django's and allauth's forms
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        named_forms = list(vars(module).values())
        named_forms += [v for d in vars(module).values() if isinstance(d, dict) for v in d.values()]
        for form in named_forms:  # and those declared as data (journal.forms.FORMS)
            named = f"{module.__name__}.{getattr(form, '__name__', '')}"
            if not inspect.isclass(form) or not issubclass(form, forms.BaseForm):
                continue
            if named in NOT_TYPED:
                continue
            for name, field in form.base_fields.items():
                if type(field) in (forms.CharField, TextField) and not field.widget.is_hidden:
                    yield named, name, field


def test_every_length_limit_of_a_typed_text_is_said_in_our_words():
    in_django_words = [
        f"{form}.{name}"
        for form, name, field in _typed_text_fields()
        if any(type(v) is validators.MaxLengthValidator for v in field.validators)
    ]

    assert list(_typed_text_fields())
    assert in_django_words == []


def test_a_line_break_counts_once_as_the_browser_counts_it():
    field = TextField(max_length=10)

    assert field.clean("abcd\r\nefgh\r\n") == "abcd\nefgh"  # 9 characters, as maxlength sees it
    assert field.clean("abcd\r\nefghi") == "abcd\nefghi"
