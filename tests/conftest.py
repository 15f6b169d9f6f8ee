import pytest
from django.core.cache import cache

from accounts.models import User

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached pages never leak from one test into the next."""
    cache.clear()


@pytest.fixture
def alice(db) -> User:
    """A client: owner of the journal entries in access tests."""
    return UserFactory(email="alice@example.com", display_name="Alice", time_zone="Europe/London")


@pytest.fixture
def bob(db) -> User:
    """Alice's therapist."""
    return UserFactory(email="bob@example.com", display_name="Bob", role=User.Role.THERAPIST)


@pytest.fixture
def charlie(db) -> User:
    """A stranger to Alice and Bob."""
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
