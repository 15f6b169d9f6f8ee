"""The one email builder: three templates, a one-line subject, the HTML as an alternative."""

import pytest

from core.emails import email_build


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
