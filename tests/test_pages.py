import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_for_a_visitor_says_what_the_app_is(client):
    page = client.get(reverse("home")).content.decode()

    assert "guided self-help for people with an avoidant attachment style" in page
    assert reverse("account_signup") in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "get_help", "account_login", "account_signup"])
def test_every_page_says_it_is_not_therapy_and_links_to_help(client, name):
    page = client.get(reverse(name)).content.decode()

    assert "Closer is self-help, not therapy." in page
    assert f'href="{reverse("get_help")}"' in page


@pytest.mark.django_db
def test_help_page_lists_emergency_numbers_and_says_to_check_them(client):
    page = client.get(reverse("get_help")).content.decode()

    for number in ("112", "999", "911", "988", "116 123"):
        assert f"<strong>{number}</strong>" in page
    assert "please check the ones that apply where you live" in page


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get(reverse("home"))

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
