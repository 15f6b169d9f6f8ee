"""What the practice tools keep beside their journal entries (journal.models.Entry)."""

import hashlib
import json

from django.conf import settings
from django.db import models

from core.fields import EncryptedTextField


class CheckInDraft(models.Model):
    """A weekly check-in left midway: the answers so far and the screen to come back to.

    One per person, and theirs alone: it is not an entry, so no share, partner link,
    insight, ratio, export or reminder sees it. Saving the week's check-in deletes it, so
    does starting over, and the database deletes it with the account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    week_start = models.DateField(help_text="The Monday of the local week it was left in.")
    screen = models.PositiveSmallIntegerField()
    # Each field's values as the form last sent them, as JSON: sealed whole with the
    # owner's key, so a step added to the check-in needs no migration here.
    answers_json = EncryptedTextField()

    def __str__(self) -> str:
        return f"Check-in draft of user {self.user_id}"

    @property
    def answers(self) -> dict[str, list[str]]:
        return json.loads(self.answers_json)

    def fingerprint(self, names: list[str]) -> str:
        """A short fingerprint of this draft and of its answers to the fields named, which a
        screen shown from it carries. A draft started afresh is a new row, so a screen from
        before Start over no longer matches, nor one whose answers changed since elsewhere."""
        answers = self.answers
        kept = json.dumps([self.pk, [answers.get(name, []) for name in names]])
        return hashlib.sha256(kept.encode()).hexdigest()[:16]
