import pytest


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """Tasks run in the test's own thread, so nothing lands in a real queue."""
