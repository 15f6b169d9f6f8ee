from datetime import date

from django import forms

from accounts.models import User
from journal.kinds import KINDS

from . import selectors
from .models import SCOPE_FIELDS, SCOPES, Share

# A new share starts with the journal's first kinds and progress ticked; a tool's scope is off.
SHARED_BY_DEFAULT = [k.scope for k in KINDS.values() if k.shared_by_default] + ["share_progress"]
COMMENT_MAX = 2000


class ScopesForm(forms.ModelForm):
    """What a Share opens: each kind on or off, lesson progress, and from which day."""

    shared_from = forms.DateField(
        label="Share entries from",
        help_text="Entries about earlier days stay unshared. Private entries are never shared.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Share
        fields = [*SCOPE_FIELDS, "shared_from"]
        labels = dict(SCOPES)

    def __init__(self, *args, client: User, **kwargs):
        self.client = client
        super().__init__(*args, **kwargs)
        self.fields["shared_from"].widget.attrs["max"] = client.local_today().isoformat()
        if not self.is_bound and not self.instance.pk:
            self.initial.update(dict.fromkeys(SHARED_BY_DEFAULT, True))
            self.initial["shared_from"] = client.local_today()

    def clean_shared_from(self) -> date:
        day = self.cleaned_data["shared_from"]
        if day > self.client.local_today():
            raise forms.ValidationError("Pick today or an earlier day.")
        if day.year < 1900:
            raise forms.ValidationError("Pick a day from 1900 onwards.")
        return day

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(field) for field in SCOPE_FIELDS):
            raise forms.ValidationError(
                "Choose at least one thing to share. To share nothing, stop sharing instead."
            )
        return cleaned


class InviteForm(ScopesForm):
    email = forms.EmailField(
        label="Your therapist's email",
        help_text="They get a link that works once, for seven days.",
        max_length=254,
    )

    class Meta(ScopesForm.Meta):
        fields = ["email", *ScopesForm.Meta.fields]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == self.client.email.lower():
            raise forms.ValidationError("That is your own address. Enter your therapist's.")
        active = selectors.active_share_with_email(client=self.client, email=email)
        if active:
            raise forms.ValidationError(
                f"{active.therapist} can already read your journal. "
                "Change what they see in the list below."
            )
        return email


class JournalFilterForm(forms.Form):
    """The therapist's filter over a client's shared entries; only shared kinds are offered."""

    kind = forms.ChoiceField(label="Show", required=False)
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Everything shared")] + [
            (kind, KINDS[kind].label) for kind in kinds
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "Pick a day on or after the “From” day.")
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Your client sees it under this entry. {COMMENT_MAX} characters at most.",
    )
