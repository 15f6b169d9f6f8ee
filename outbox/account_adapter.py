"""allauth's emails about an account (a new password, a code, "you already have an account")
as the person they go to chose, as every other email: from their sender name and, with
discreet reminders on, in words that name nothing of what Closer is for (the templates under
templates/account/email/ read `discreet`). The link or the code stays. ACCOUNT_ADAPTER points
here; where a person lands after logging in is accounts.adapter's."""

from django.core.mail import EmailMessage

from accounts import adapter
from accounts.models import User

from .discreet import sender
from .selectors import address_owner

# The codes that confirm an address. Nobody has confirmed it yet (an owner would be sent
# "You already have an account" instead, ACCOUNT_UNIQUE_EMAIL), so the person adding it, or
# signing up with it, decides how theirs reads.
CONFIRMING = ("account/email/email_confirmation", "account/email/email_confirmation_signup")


class AccountAdapter(adapter.AccountAdapter):
    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict,
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        person = _reader(template_prefix, email, context)
        if person is None:
            return super().render_mail(template_prefix, email, context, headers)
        context = {**context, "discreet": person.discreet_reminders}
        message = super().render_mail(template_prefix, email, context, headers)
        message.from_email = sender(person)
        return message


def _reader(template_prefix: str, email: str | list[str], context: dict) -> User | None:
    """Who decides how the email reads: whoever confirmed the address (outbox.selectors.
    address_owner), or for a code that confirms one, the account it is for; else nobody."""
    if not isinstance(email, str):
        return None
    owner = address_owner(email)
    if owner is None and template_prefix in CONFIRMING:
        return context.get("user")
    return owner
