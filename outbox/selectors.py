"""Whom the app may write to on its own, whatever the purpose."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from accounts.models import User


def reachable_addresses() -> QuerySet[EmailAddress]:
    """Confirmed primary addresses of active users: the app emails nobody else on its own."""
    return EmailAddress.objects.filter(user__is_active=True, primary=True, verified=True)


def reachable_user_ids(user_ids: list[int]) -> set[int]:
    """Those of `user_ids` the app may email on its own (see reachable_addresses)."""
    confirmed = reachable_addresses().filter(user_id__any=user_ids)
    return set(confirmed.values_list("user_id", flat=True))


def address_owner(email: str) -> User | None:
    """The person who has confirmed `email`, as their main address or another one (any
    case of it), or None: nobody else decides how an email to it reads. At most one person
    has (ACCOUNT_UNIQUE_EMAIL)."""
    confirmed = EmailAddress.objects.filter(email__iexact=email, verified=True)
    address = confirmed.select_related("user").first()
    return address.user if address else None
