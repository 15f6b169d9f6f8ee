"""Installable on a phone: the manifest, its icons, the service worker and the offline page."""

import json
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.lessons.pages import visible_text

STATIC = Path(settings.BASE_DIR) / "static"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _css_variable(name: str) -> str:
    css = (STATIC / "css/app.css").read_text()
    return re.search(rf"--{name}:\s*(#[0-9a-f]+);", css).group(1)


@pytest.mark.django_db
def test_manifest_names_the_app_and_opens_standalone_at_home(client):
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert {k: manifest[k] for k in ("name", "start_url", "scope", "display")} == {
        "name": "Closer",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
    }
    assert manifest["theme_color"] == _css_variable("accent")
    assert manifest["background_color"] == _css_variable("paper")


@pytest.mark.django_db
def test_manifest_icons_are_pngs_of_the_sizes_they_claim(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]

    sizes = {(icon["sizes"], icon["purpose"]) for icon in icons}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} == sizes
    for icon in icons:
        width, height = _png_size(STATIC / icon["src"].removeprefix("/static/"))
        assert f"{width}x{height}" == icon["sizes"]
        assert icon["type"] == "image/png"


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_the_theme_colour(client):
    page = client.get(reverse("home")).content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert f'<meta name="theme-color" content="{_css_variable("accent")}">' in page


def _shell(source: str) -> list[str]:
    return json.loads(re.match(r"const SHELL = (\[.*?\]);", source).group(1))


@pytest.mark.django_db
def test_service_worker_is_served_from_the_root_with_the_app_shell(client):
    response = client.get("/sw.js")

    source = response.content.decode()
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert _shell(source) == [
        "/offline/",
        "/static/css/app.css",
        "/static/js/app.js",
        "/static/django_htmx/htmx-2.min.js",
        "/static/img/icon.svg",
        "/static/img/icon-192.png",
    ]
    assert source.endswith((STATIC / "js/sw.js").read_text())


@pytest.mark.django_db
def test_service_worker_keeps_no_page_with_private_content(alice_client):
    source = alice_client.get("/sw.js").content.decode()

    shell = _shell(source)
    assert all(p == "/offline/" or p.startswith("/static/") for p in shell)
    # Pages are fetched from the network only; the one cache.put is for shell files.
    assert source.count("cache.put(") == 1
    assert source.count("cache.addAll(SHELL)") == 1


@pytest.mark.django_db
def test_service_worker_version_changes_with_the_shell(client, settings):
    first = client.get("/sw.js").content.decode()
    settings.STATIC_URL = "/assets/"
    second = client.get("/sw.js").content.decode()

    version = re.compile(r'const VERSION = "(\w+)";')
    assert version.search(first).group(1) != version.search(second).group(1)


def test_offline_page_carries_nobodys_details(alice_client):
    page = alice_client.get("/offline/").content.decode()

    assert "<h1>You are offline</h1>" in page
    assert "your words are kept on this device as a draft" in page
    assert "Log out" not in page and "Alice" not in page
    assert "Closer is self-help, not therapy." in page


@pytest.mark.django_db
def test_offline_page_gives_the_emergency_numbers_itself(client):
    """Its "Get help now" links cannot load without a connection, so the numbers are here."""
    page = visible_text(client.get("/offline/").content)

    assert (
        "If you are in danger or thinking about harming yourself, call your local emergency "
        "number (112, 999, 911 or 000) or a crisis line such as 988 (US and Canada) or "
        "116 123 (UK and Ireland)."
    ) in page
