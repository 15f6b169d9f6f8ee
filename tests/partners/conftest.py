import pytest
from django.utils import timezone

from core.links import token_hash
from partners.models import Link
from tests.factories import UserFactory


def make_link(reader, partner, **switches) -> Link:
    """An active link from `reader` to `partner`, with the switches given turned on or off."""
    return Link.objects.create(
        reader=reader,
        partner=partner,
        status=Link.Status.ACTIVE,
        token_hash=token_hash(f"{reader.pk}-{partner.pk}-{timezone.now()}"),
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
        **switches,
    )


@pytest.fixture
def dan(db):
    """Alice's partner."""
    return UserFactory(email="dan@example.com", display_name="Dan", time_zone="Europe/London")


@pytest.fixture
def linked(alice, dan) -> Link:
    return make_link(alice, dan)


def page_text(response) -> str:
    return response.content.decode()
