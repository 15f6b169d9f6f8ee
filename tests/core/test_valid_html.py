"""Every main page is valid HTML, signed in and out, by the Nu HTML Checker (vnu).

scripts/test installs the checker (npm's vnu-jar) into var/tools; it runs on Java 17,
offline, over the pages as the test client renders them.
"""

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.kinds import KINDS
from nudges.tokens import unsubscribe_token
from sharing import selectors
from sharing.models import ClientInvitation, Comment
from sharing.services import share_invite
from tests.accounts.test_signup import SIGNUP
from tests.factories import PASSWORD, ApologyFactory, BidFactory
from tests.security.conftest import World, world  # noqa: F401 (the fixture)
from tests.services import require

VNU_JAR = Path(settings.BASE_DIR) / "var/tools/node_modules/vnu-jar/build/dist/vnu.jar"


def _require_vnu() -> str:
    java = shutil.which("java")
    require(
        "The Nu HTML Checker",
        bool(java) and VNU_JAR.exists(),
        "install Java 17 and npm (apt-get install -y openjdk-17-jre-headless npm), "
        "then run scripts/test, which installs npm's vnu-jar into var/tools",
    )
    return java


def _accept_path(people: World, capture, mailoutbox) -> str:
    with capture(execute=True):
        share_invite(
            client=people.alice, email="dana@example.com", shared_from=people.share.shared_from
        )
    return re.search(r"https?://[^/\s]+(/sharing/accept/\S+/)", mailoutbox[-1].body).group(1)


def _join_path(people: World) -> str:
    """The link of Charlie's invitation to Alice."""
    ClientInvitation.objects.create(
        therapist=people.charlie,
        email=people.alice.email,
        token_hash=selectors.token_hash("gina"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    signed = signing.dumps("gina", salt=selectors.CLIENT_INVITATION_SALT)
    return reverse("sharing:join", args=[signed])


def _pages(people: World, accept: str) -> dict[str, tuple[str, str]]:
    """Page name -> (who, path); bob's pages first, so the access log has rows."""
    alice = people.alice
    entries = {
        "gratitude": people.entry,
        "bid": BidFactory(user=alice),
        "apology": ApologyFactory(user=alice),
    }
    client = [alice.pk]
    pages = {
        "bob clients": ("bob", reverse("sharing:clients")),
        "bob journal": ("bob", reverse("sharing:client_journal", args=client)),
        "bob insights": ("bob", reverse("sharing:client_insights", args=client)),
        "bob progress": ("bob", reverse("sharing:client_progress", args=client)),
        "bob end": ("bob", reverse("sharing:share_end", args=client)),
        "landing": ("", reverse("home")),
        "sign in": ("", reverse("account_login")),
        "sign up": ("", reverse("account_signup")),
        "password reset": ("", reverse("account_reset_password")),
        "password reset sent": ("", reverse("account_reset_password_done")),
        "password reset link used": (
            "",
            reverse("account_reset_password_from_key", args=["zz", "used-key"]),
        ),
        "help": ("", reverse("get_help")),
        "offline": ("", reverse("offline")),
        "not found": ("", "/no-such-page/"),
        "invitation": ("", accept),
        "invitation for charlie": ("charlie", accept),
        "stop reminders": ("", reverse("nudges:unsubscribe", args=[unsubscribe_token(user=alice)])),
        "account deleted": ("", reverse("accounts:deleted")),
        "home": ("alice", reverse("home")),
        "lessons": ("alice", reverse("lessons:path")),
        "lesson": ("alice", reverse("lessons:detail", args=[people.lesson.slug])),
        "timeline": ("alice", reverse("journal:timeline")),
        "search": ("alice", reverse("journal:timeline") + "?q=coffee"),
        "insights": ("alice", reverse("journal:insights")),
        "print": ("alice", reverse("journal:print")),
        "reminders": ("alice", reverse("nudges:settings")),
        "profile": ("alice", reverse("home:profile")),
        "delete account": ("alice", reverse("accounts:delete")),
        "emails": ("alice", reverse("account_email")),
        "password": ("alice", reverse("account_change_password")),
        "sign out": ("alice", reverse("account_logout")),
        "sharing": ("alice", reverse("sharing:index")),
        "share": ("alice", reverse("sharing:share_detail", args=[people.share.pk])),
        "stop sharing": ("alice", reverse("sharing:share_revoke", args=[people.share.pk])),
        "access log": ("alice", reverse("sharing:access_log")),
        "comments": ("alice", reverse("sharing:comments")),
        "two-step login": ("alice", reverse("mfa_index")),
        "two-step login required": ("alice", reverse("accounts:two_step_required")),
        "confirm it's you": ("alice", reverse("account_reauthenticate")),
        "confirm it's you by code": ("alice", reverse("account_request_reauthentication_code")),
        "bob two-step login": ("bob", reverse("mfa_index")),
        "bob passkeys": ("bob", reverse("mfa_list_webauthn")),
    }
    for kind, spec in KINDS.items():  # where a lesson's practice of that kind leads
        pages[f"new {kind}"] = ("alice", reverse(spec.practice_page or f"journal:{kind}_new"))
    for kind, entry in entries.items():
        entry_args = [alice.pk, entry.pk]
        pages[f"bob entry {kind}"] = ("bob", reverse("sharing:client_entry", args=entry_args))
        pages[f"{kind}"] = ("alice", reverse("journal:entry_detail", args=[entry.pk]))
        pages[f"edit {kind}"] = ("alice", reverse("journal:entry_edit", args=[entry.pk]))
        pages[f"delete {kind}"] = ("alice", reverse("journal:entry_delete", args=[entry.pk]))
    reply = Comment.objects.create(
        entry=people.entry, author=alice, therapist=people.bob, body="Thank you."
    )
    join = _join_path(people)
    pages |= {
        "bob home": ("bob", reverse("home")),
        "bob session": ("bob", reverse("sharing:session", args=client)),
        "bob session notes": ("bob", reverse("sharing:session_notes", args=client)),
        "bob homework": ("bob", reverse("sharing:homework", args=client)),
        "bob inbox": ("bob", reverse("sharing:inbox")),
        "bob conversation": ("bob", reverse("sharing:conversation_with_client", args=client)),
        "inbox": ("alice", reverse("sharing:inbox")),
        "conversation": (
            "alice",
            reverse("sharing:conversation_with_therapist", args=[people.share.pk]),
        ),
        "notices": ("alice", reverse("sharing:notices")),
        "reply edit": ("alice", reverse("sharing:reply_edit", args=[reply.pk])),
        "invitation from a therapist": ("", join),
        "invitation from a therapist for alice": ("alice", join),
    }
    charlies = [ClientInvitation.objects.get(therapist=people.charlie).pk]
    pages |= {
        "invitation in the app": ("alice", reverse("sharing:invitation_answer", args=charlies)),
        "withdraw an invitation": (
            "charlie",
            reverse("sharing:client_invitation_withdraw", args=charlies),
        ),
        "charlie's clients": ("charlie", reverse("sharing:clients")),
    }
    pages["bob comment edit"] = (
        "bob",
        reverse("sharing:comment_edit", args=[alice.pk, people.entry.pk, people.comment.pk]),
    )
    return pages


def _render(people: World, pages: dict[str, tuple[str, str]], folder: Path) -> dict[str, str]:
    """Save each page's HTML in folder; returns file name -> page name."""
    browsers: dict[str, Client] = {}
    names = {}
    for number, (name, (who, path)) in enumerate(pages.items()):
        browser = browsers.setdefault(who, people.client_for(who))
        response = browser.get(path, secure=True)
        assert response.status_code in (200, 404), f"{name}: {path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), name
        file = folder / f"page-{number}.html"
        file.write_bytes(response.content)
        names[file.name] = name
    return names


def _vnu_errors(java: str, files: list[Path], names: dict[str, str]) -> list[str]:
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{names[Path(m['url']).name]} line {m.get('lastLine')}: {m['message']}"
        f" in {m.get('extract', '').strip()!r}"
        for m in messages
    ]


def test_main_pages_are_valid_html_signed_in_and_out(
    world,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    java = _require_vnu()
    accept = _accept_path(world, django_capture_on_commit_callbacks, mailoutbox)
    names = _render(world, _pages(world, accept), tmp_path)

    errors = _vnu_errors(java, sorted(tmp_path.glob("*.html")), names)

    assert errors == [], "\n".join(errors)


def test_two_step_set_up_pages_are_valid_html(world, tmp_path):  # noqa: F811
    """Setting up an app or a passkey comes after allauth asks for the password again."""
    java = _require_vnu()
    browser = world.client_for("alice")
    browser.post(reverse("account_reauthenticate"), {"password": PASSWORD}, secure=True)
    pages = {
        "set up an app": browser.get(reverse("mfa_activate_totp"), secure=True),
        "add a passkey": browser.get(reverse("mfa_add_webauthn"), secure=True),
    }
    names = _save(pages, tmp_path)

    errors = _vnu_errors(java, sorted(tmp_path.glob("*.html")), names)

    assert errors == [], "\n".join(errors)
    assert [page.status_code for page in pages.values()] == [200, 200]


def test_signing_up_by_code_pages_are_valid_html(db, tmp_path):
    """The code page shows only to the browser that signed up."""
    java = _require_vnu()
    browser = Client()
    pages = {
        "check your email": browser.post(
            reverse("account_signup"), SIGNUP, follow=True, secure=True
        ),
        "confirmation link sent before codes": browser.get(
            "/accounts/confirm-email/old-key/", secure=True
        ),
    }
    names = _save(pages, tmp_path)

    errors = _vnu_errors(java, sorted(tmp_path.glob("*.html")), names)

    assert errors == [], "\n".join(errors)
    assert [page.status_code for page in pages.values()] == [200, 410]


def _save(pages: dict, folder: Path) -> dict[str, str]:
    """Save each response's HTML in folder; returns file name -> page name."""
    names = {}
    for number, (name, response) in enumerate(pages.items()):
        (folder / f"page-{number}.html").write_bytes(response.content)
        names[f"page-{number}.html"] = name
    return names
