from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from health.services import heartbeat_record
from selfhelp.celery import app


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
