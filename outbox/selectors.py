"""Whom the app may write to on its own, whatever the purpose."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet


def reachable_addresses() -> QuerySet[EmailAddress]:
    """Confirmed primary addresses of active users: the app emails nobody else on its own."""
    return EmailAddress.objects.filter(user__is_active=True, primary=True, verified=True)


def reachable_user_ids(user_ids: list[int]) -> set[int]:
    """Those of `user_ids` the app may email on its own (see reachable_addresses)."""
    confirmed = reachable_addresses().filter(user_id__any=user_ids)
    return set(confirmed.values_list("user_id", flat=True))
