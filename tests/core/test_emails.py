"""The one email builder: three templates, a one-line subject, the HTML as an alternative."""

from pathlib import Path

import pytest
from django.conf import settings

from core.emails import email_build, email_render

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"
HELP = "http://127.0.0.1:8000/help/"


@pytest.fixture
def greeting_templates(settings, tmp_path):
    emails = tmp_path / "emails"
    emails.mkdir()
    (emails / "greeting-subject.txt").write_text("  Hello\n   {{ name }}\n")
    (emails / "greeting-body.txt").write_text("Hi {{ name }}.\n")
    (emails / "greeting-body.html").write_text("<p>Hi {{ name }}.</p>\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]


def test_email_build_renders_three_templates_with_a_one_line_subject(greeting_templates):
    message = email_build(
        "greeting", to="dana@example.com", context={"name": "Dana & Sam"}, headers={"X-A": "b"}
    )

    assert (message.subject, message.body, message.to, message.extra_headers) == (
        "Hello Dana &amp; Sam",
        "Hi Dana &amp; Sam.\n",
        ["dana@example.com"],
        {"X-A": "b"},
    )
    assert message.alternatives[0].content == "<p>Hi Dana &amp; Sam.</p>\n"
    assert message.alternatives[0].mimetype == "text/html"


EMAILS = sorted(path.name.removesuffix("-subject.txt") for path in TEMPLATES.glob("*-subject.txt"))


@pytest.mark.parametrize("name", EMAILS)
def test_every_email_links_to_help_in_both_parts(name):
    """Help is one tap away in every email, as on every page, whoever it goes to."""
    rendered = email_render(name, context={})

    assert f"{HELP}\n" in rendered.text
    assert f'<a href="{HELP}"' in rendered.html
