"""What one partner writes is shown to the other as text, never as markup."""

from django.urls import reverse

from partners import services
from tests.factories import GratitudeFactory

from .conftest import make_link, page_text

PAYLOAD = '"><script>alert(1)</script><svg onload=alert(2)>{{ 7|add:1 }}'
ESCAPED = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;svg onload=alert(2)&gt;{{ 7|add:1 }}"


def test_answers_thanks_and_plans_reach_the_other_escaped(client, alice, dan):
    link = make_link(alice, dan, appreciation_on=True, plan_on=True)
    client.force_login(alice)
    client.post(reverse("partners:question"), {"text": PAYLOAD})
    client.post(reverse("partners:plan"), {"text": PAYLOAD})
    services.appreciation_send(link=link, entry=GratitudeFactory(user=alice, moments=PAYLOAD))
    client.force_login(dan)
    client.post(reverse("partners:question"), {"text": "plain"})
    for path in ("/", reverse("partners:question"), reverse("partners:plan")):
        page = page_text(client.get(path))
        assert ESCAPED in page, path
        assert "<script>alert(1)" not in page, path
