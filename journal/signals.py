"""What the journal tells the features above it, which it does not import.

`entry_created_from_lesson` is sent with `entry` when an entry written from a lesson's
practice (its `lesson_slug` set) is saved, inside the same transaction: the lessons mark
that lesson done (lessons/apps.py connects it).
"""

from django.dispatch import Signal

entry_created_from_lesson = Signal()
