from datetime import date, timedelta

from django import forms

from accounts.models import User
from core.forms import TextField
from journal.kinds import KINDS

from . import selectors
from .models import SCOPE_FIELDS, SCOPES, NoticePreference, Share

# A new share starts with the journal's first kinds and progress ticked; a tool's scope is off.
SHARED_BY_DEFAULT = [k.scope for k in KINDS.values() if k.shared_by_default] + ["share_progress"]
COMMENT_MAX = 2000


class ScopesForm(forms.ModelForm):
    """What a Share opens: each kind on or off, lesson progress, and from which day."""

    shared_from = forms.DateField(
        label="Share entries from",
        help_text="Entries about earlier days stay unshared.",
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


def _day_field(label: str) -> forms.DateField:
    """An optional day, picked with the browser's calendar."""
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(label=label, required=False, widget=widget)


class JournalFilterForm(forms.Form):
    """The therapist's filter over a client's shared entries; only shared kinds are offered."""

    kind = forms.ChoiceField(label="Show", required=False)
    start = _day_field("From")
    end = _day_field("To")

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


def _body(label: str, who_sees_it: str) -> TextField:
    """A comment's or a reply's text: the same box and the same limit for both."""
    return TextField(
        label=label,
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"{who_sees_it} {COMMENT_MAX:,} characters at most.",
        error_messages={"required": f"Write {label.lower()} first: the box is empty."},
    )


class CommentForm(forms.Form):
    body = _body("Your comment", "Your client sees it under this entry.")


class ReplyForm(forms.Form):
    body = _body("Your reply", "Only this therapist sees it, with this entry.")


class MessageForm(forms.Form):
    body = _body("Your message", "Only the two of you see it.")


class ClientInviteForm(forms.Form):
    email = forms.EmailField(
        label="Your client's email",
        max_length=254,
        help_text="The link works for seven days.",
    )

    def __init__(self, *args, therapist: User, **kwargs):
        self.therapist = therapist
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == self.therapist.email.lower():
            raise forms.ValidationError("That is your own address. Enter your client's.")
        if selectors.shares_with_client_email(therapist=self.therapist, email=email):
            raise forms.ValidationError("This person already shares their journal with you.")
        return email


class NoticesForm(forms.Form):
    comments_email = forms.BooleanField(
        label="Email me when a therapist comments on my entries",
        required=False,
        help_text="At most one email a day. It says how many entries have new comments, "
        "never what was written.",
    )
    entries_email = forms.BooleanField(
        label="Email me when a client shares new entries with me or replies",
        required=False,
        help_text="For therapists. At most one email a day, saying how many clients shared "
        "how many new entries and how many replies wait: no names, never what they wrote. "
        "Each client sees it in their access log.",
    )

    @staticmethod
    def initial_for(preference: NoticePreference | None) -> dict:
        return {
            "comments_email": bool(preference and preference.comments_email),
            "entries_email": bool(preference and preference.entries_email),
        }


# A session covers two years at most: longer ranges are cut to the two years up to their end.
SESSION_MAX_DAYS = 731


class SessionRangeForm(forms.Form):
    """The days a session preparation covers. Any range is shown: one that is reversed, too
    long, in the future or before the share's first day is clamped, with a note saying how."""

    start = _day_field("From")
    end = _day_field("To")

    def __init__(self, *args, share: Share, today: date, **kwargs):
        self.share, self.today = share, today
        super().__init__(*args, **kwargs)

    def since_last_session(self) -> tuple[date, date]:
        """From the end of the range prepared last time (the last session), or from the
        share's first day before any, up to today."""
        return self.share.prep_end or self.share.shared_from, self.today

    def showing(self, start: date, end: date) -> "SessionRangeForm":
        """The form as the page shows it: the days actually used, so a range that was cut
        short shows where it was cut; a form with errors stays as typed, to say why."""
        if self.errors:
            return self
        initial = {"start": start, "end": end}
        return SessionRangeForm(initial=initial, share=self.share, today=self.today)

    def range(self) -> tuple[date, date, list[str]]:
        """The range to show, and a note for each change made to what was asked."""
        start, end = self.since_last_session()
        if self.is_bound and self.is_valid():
            start = self.cleaned_data["start"] or start
            end = self.cleaned_data["end"] or end
        return clamp_range(start, end, share=self.share, today=self.today)


def clamp_range(start: date, end: date, *, share: Share, today: date) -> tuple[date, date, list]:
    notes = []
    if start > end:
        start, end = end, start
        notes.append("The “From” day was after the “To” day, so the two were swapped.")
    if end > today:
        end = today
        notes.append("The range cannot go past today, so it now ends today.")
    if start < share.shared_from:
        start = share.shared_from
        end = max(end, start)
        notes.append(
            f"{share.client} shares entries from {share.shared_from:%-d %b %Y}, "
            "so the range now starts there."
        )
    if (end - start).days >= SESSION_MAX_DAYS:
        start = end - timedelta(days=SESSION_MAX_DAYS - 1)
        notes.append(
            f"A range covers two years at most, so it now starts on {start:%-d %b %Y}, "
            "two years before its last day."
        )
    return start, end, notes


NOTE_MAX = 10_000


class SessionNoteForm(forms.Form):
    session_date = forms.DateField(
        label="Session date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="One note per session: saving for a date that has one replaces it.",
    )
    body = TextField(
        label="Your note",
        max_length=NOTE_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Yours alone: your client never sees it. {NOTE_MAX:,} characters at most.",
    )

    def clean_session_date(self) -> date:
        day = self.cleaned_data["session_date"]
        if day.year < 1900 or day.year > 2999:
            raise forms.ValidationError("Pick a date between 1900 and 2999.")
        return day


class HomeworkForm(forms.Form):
    """A lesson or a practice tool to suggest, a short note and an optional date."""

    what = forms.ChoiceField(
        label="Suggest",
        error_messages={"required": "Choose a lesson or a practice tool to suggest."},
    )
    note = TextField(
        label="A short note (optional)",
        max_length=300,
        required=False,
        strip=True,
        help_text="Your client sees it with the suggestion. 300 characters at most.",
    )
    due_on = _day_field("By (optional)")

    def __init__(self, *args, lessons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [
            ("", "Choose a lesson or a practice tool"),
            ("Lessons", [(f"lesson:{slug}", title) for slug, title in lessons]),
            ("Practice tools", [(f"kind:{k}", kind.practice_label) for k, kind in KINDS.items()]),
        ]

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day and not 1900 <= day.year <= 2999:
            raise forms.ValidationError("Pick a date between 1900 and 2999.")
        return day

    def suggestion(self) -> dict:
        """What the form says, as homework_suggest takes it."""
        prefix, _, value = self.cleaned_data["what"].partition(":")
        return {
            "lesson_slug": value if prefix == "lesson" else "",
            "kind": value if prefix == "kind" else "",
            "note": self.cleaned_data["note"],
            "due_on": self.cleaned_data["due_on"],
        }
