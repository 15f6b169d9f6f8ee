"""What every form shares, whatever its feature."""

from django import forms
from django.core import validators
from django.forms.renderers import DjangoTemplates


class LabelBoundField(forms.BoundField):
    """A field whose label takes the form's suffix (":") only after a letter or a digit.

    Django leaves it off after "?" and "." but not after a bracket or an ellipsis, which
    gave "How did it go? (optional):"; "Your name:" keeps its colon."""

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        words = str(contents or self.label or "")
        if words and not words[-1].isalnum():
            label_suffix = ""
        return super().label_tag(contents, attrs, label_suffix, tag)


class LengthLimit(validators.MaxLengthValidator):
    """Django's limit on a text's length, said as our help texts say it ("2,000"), with what
    to do: the page shows the text again as typed."""

    message = (
        "Keep it to %(limit)s characters: this has %(length)s. "
        "Nothing is lost: shorten it and save again."
    )

    def __call__(self, value) -> None:
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            params = {"limit": f"{self.limit_value:,}", "length": f"{length:,}", "value": value}
            raise forms.ValidationError(self.message, code=self.code, params=params)


class TextField(forms.CharField):
    """A text the reader types, refused past `max_length` in the words of LengthLimit.

    Line breaks arrive as CRLF from a textarea but count as one character in the browser's
    own limit (maxlength): they are kept as LF, so both count the same."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            LengthLimit(v.limit_value) if type(v) is validators.MaxLengthValidator else v
            for v in self.validators
        ]

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with the labels above for every form (settings.FORM_RENDERER)."""

    bound_field_class = LabelBoundField


class CarriedFields:
    """A form mixin for fields its page carries hidden (the day, the lesson it came from).

    The user can neither see nor fix a hidden field, so a value it refuses (tampered with,
    or damaged on the way) becomes an error of the whole form, in the words of `carried`,
    and the field carries `carried_value(name)` from then on: the page shows what went
    wrong, keeps everything typed, and saving again works.
    """

    carried: dict[str, str] = {}  # field name -> what the user is told when it is refused

    def carried_value(self, name: str) -> str:
        return ""

    def full_clean(self) -> None:
        super().full_clean()
        refused = [name for name in self.carried if name in self.errors]
        if not refused:
            return
        self.data = self.data.copy()  # a request's QueryDict cannot be changed
        for name in refused:
            del self.errors[name]
            self.data[self.add_prefix(name)] = self.carried_value(name)
            self.add_error(None, self.carried[name])


WORDS_KEPT = "Your words are below if you want to keep them."


def words_kept(form, not_saved: str):
    """`form` as it was sent, saying why nothing was saved (`not_saved`: the row it changes
    was deleted in another tab meanwhile, say) and that the words typed are kept below."""
    form.is_valid()  # the text comes back as typed
    form.add_error(None, f"{not_saved} {WORDS_KEPT}")
    return form


def words_sent(form_class: type[forms.Form], data) -> list[tuple[str, str]]:
    """What someone typed into `form_class`'s text boxes, as `data` (a POST) sent it: (the
    box's label, its text) for each one not left blank, in the form's order. Choices, dates
    and hidden fields are left out: a page that cannot save the POST gives back the words."""
    return [
        (str(field.label), text)
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField)
        and not field.widget.is_hidden
        and (text := data.get(name, "")).strip()
    ]
