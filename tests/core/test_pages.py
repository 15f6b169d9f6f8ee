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
def test_help_page_names_domestic_abuse_helplines_and_a_directory_for_elsewhere(client):
    page = client.get(reverse("get_help")).content.decode()

    for number in ("0808 2000 247", "1800 737 732", "1800 341 900"):
        assert f"<strong>{number}</strong>" in page
    for site in ("thehotline.org", "sheltersafe.ca", "hotpeachpages.net"):
        assert f'href="https://www.{site}/"' in page or f'href="https://{site}/"' in page
    assert "Reminder emails hold nothing you wrote" in page
    assert (
        "every\n    reminder and notification says only “A moment for you”, emails about your"
        " account\n    (a code, a new password) say nothing of what Closer is for"
    ) in page
    assert '<a class="quick-exit" href="https://www.bbc.com/weather" rel="noreferrer"' in page


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


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/help/", "/manifest.webmanifest", "/sw.js", "/offline/"])
def test_head_is_answered_like_get_for_monitors_and_link_checkers(client, path):
    get, head = client.get(path), client.head(path)

    assert (head.status_code, head["Content-Type"]) == (200, get["Content-Type"])
    assert head.content == b""


def test_no_view_allows_get_without_head():
    """require_safe, never require_GET (STYLE.md): a HEAD must not answer 405."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if not {".venv", "tests"} & set(path.parts) and "require_GET" in path.read_text()
    ]
    assert offenders == []
