from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from health.services import heartbeat_record
from nudges.models import NudgeDelivery
from selfhelp.celery import app
from tests.factories import UserFactory


@pytest.mark.django_db
def test_healthz_is_ok_with_a_fresh_heartbeat(client):
    heartbeat_record(worker="celery@test")

    response = client.get(reverse("health:healthz"))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"], body["worker"]) == (
        "ok",
        "ok",
        "ok",
        "ok",
    )
    assert body["heartbeat_age_seconds"] < 5


@pytest.mark.django_db
def test_healthz_is_503_without_any_heartbeat(client):
    response = client.get(reverse("health:healthz"))

    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["heartbeat_age_seconds"] is None


@pytest.mark.django_db
def test_healthz_is_503_when_the_heartbeat_is_old(client):
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        heartbeat_record(worker="celery@test")

    response = client.get(reverse("health:healthz"))

    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["heartbeat_age_seconds"] >= 600


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    heartbeat_record(worker="celery@test")
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")

    response = client.get(reverse("health:healthz"))

    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def _delivery(*, due_minutes_ago: int, status: str) -> NudgeDelivery:
    due = timezone.now() - timedelta(minutes=due_minutes_ago)
    return NudgeDelivery.objects.create(
        user=UserFactory(),
        local_date=due.date(),
        due_at=due,
        claimed_at=due,
        queued_at=due,
        status=status,
    )


@pytest.mark.django_db
def test_healthz_reports_overdue_nudges_but_stays_ok_for_the_web_tier(client):
    heartbeat_record(worker="celery@test")
    _delivery(due_minutes_ago=11, status="claimed")

    response = client.get(reverse("health:healthz"))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["nudges_overdue"]) == ("ok", 1)


@pytest.mark.django_db
def test_healthz_nudges_is_503_while_a_nudge_is_overdue(client):
    _delivery(due_minutes_ago=11, status="claimed")
    _delivery(due_minutes_ago=12, status="sending")
    _delivery(due_minutes_ago=30, status="sent")
    _delivery(due_minutes_ago=30, status="failed")
    _delivery(due_minutes_ago=9, status="claimed")  # not yet ten minutes

    response = client.get(reverse("health:nudges"))

    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "nudges_overdue": 2}


@pytest.mark.django_db
def test_healthz_nudges_is_ok_when_every_due_nudge_is_done(client):
    _delivery(due_minutes_ago=30, status="sent")
    _delivery(due_minutes_ago=9, status="claimed")

    response = client.get(reverse("health:nudges"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "nudges_overdue": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["health:healthz", "health:nudges", "home"])
def test_monitors_may_ask_with_head(client, name):
    heartbeat_record(worker="celery@test")

    get, head = client.get(reverse(name)), client.head(reverse(name))

    assert (head.status_code, head.content) == (get.status_code, b"")
    assert get.status_code == 200


@pytest.mark.django_db
def test_the_load_balancers_check_ignores_the_worker_and_the_broker(client, monkeypatch):
    """No heartbeat and no broker: /healthz is 503, but every web host stays in rotation."""
    monkeypatch.setattr("health.selectors.broker_ok", lambda: False)

    assert client.get(reverse("health:healthz")).status_code == 503
    response = client.get(reverse("health:web"))
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


@pytest.mark.django_db
def test_the_load_balancers_check_fails_without_the_database(client, monkeypatch):
    monkeypatch.setattr("health.selectors.database_ok", lambda: False)

    response = client.get(reverse("health:web"))

    assert (response.status_code, response.json()["database"]) == (503, "down")
