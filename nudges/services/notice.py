"""The home page's notice that the latest nudge was not sent: shown once."""

from accounts.models import User

from ..models import NudgeDelivery


def failed_notice_take(*, user: User) -> NudgeDelivery | None:
    """`user`'s latest nudge if it failed and they have not been told yet; they have now."""
    latest = NudgeDelivery.objects.filter(user=user).order_by("-local_date").first()
    if latest is None or latest.status != NudgeDelivery.Status.FAILED or latest.failure_shown:
        return None
    # Conditional, so two pages loading at once show it once between them.
    told = NudgeDelivery.objects.filter(pk=latest.pk, failure_shown=False)
    return latest if told.update(failure_shown=True) else None
