"""The partner link's pages, and the pages it adds to, are valid HTML (vnu)."""

from django.test import Client
from django.urls import reverse

from core import links
from core.links import link_token
from partners import selectors, services
from partners.models import Link
from tests.core.test_valid_html import _require_vnu, _vnu_errors
from tests.factories import BreakFactory, GratitudeFactory, UserFactory

from .conftest import make_link


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_partner_pages_are_valid_html(alice, dan, tmp_path):
    java = _require_vnu()
    link = make_link(alice, dan, breaks_on=True, appreciation_on=True, plan_on=True)
    daily = services.question_for_link(link=link, day=alice.local_today())
    services.pair_answer(question=daily, user=dan, text="Dan's answer")
    sent = GratitudeFactory(user=alice, moments="Thank you for the tea")
    services.appreciation_send(link=link, entry=sent)
    services.plan_save(link=link, by=alice, text="A walk")
    BreakFactory(user=alice)
    unsent = GratitudeFactory(user=alice)
    erin = UserFactory(email="erin@example.com", display_name="Erin")
    token_hash, signed = link_token(salt=selectors.INVITATION_SALT)
    Link.objects.create(
        reader=erin,
        token_hash=token_hash,
        expires_at=link.accepted_at + links.INVITATION_MAX_AGE,
    )
    join = reverse("partners:join", args=[signed])
    pages = {
        "alice link": (alice, "get", reverse("partners:link")),
        "alice question": (alice, "get", reverse("partners:question")),
        "alice plan": (alice, "get", reverse("partners:plan")),
        "alice today": (alice, "get", reverse("home")),
        "alice profile": (alice, "get", reverse("home:profile")),
        "alice practice": (alice, "get", reverse("practice:index")),
        "alice together": (alice, "get", reverse("practice:check_in_together")),
        "alice entry": (alice, "get", reverse("journal:entry_detail", args=[unsent.pk])),
        "dan link": (dan, "get", reverse("partners:link")),
        "dan question": (dan, "get", reverse("partners:question")),
        "dan today": (dan, "get", reverse("home")),
        "join signed out": (None, "get", join),
        "join refused": (dan, "get", join),
        "erin by hand": (erin, "post", reverse("partners:invite_by_hand")),
        "erin waiting": (erin, "get", reverse("partners:link")),
    }
    names = {}
    for number, (name, (who, method, path)) in enumerate(pages.items()):
        client = _client(who) if who else Client()
        response = getattr(client, method)(path, secure=True)
        assert response.status_code == 200, name
        (tmp_path / f"page-{number}.html").write_bytes(response.content)
        names[f"page-{number}.html"] = name

    errors = _vnu_errors(java, sorted(tmp_path.glob("*.html")), names)

    assert errors == [], "\n".join(errors)
