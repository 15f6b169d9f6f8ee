"""What accounts tells the feature apps, which it must not import (see STYLE.md, "Floors")."""

from django.dispatch import Signal

# Sent by services.account_delete with `user`, inside its transaction, before the user's rows
# go: a receiver can still read them, and its writes stand or fall with the deletion.
account_deleting = Signal()
