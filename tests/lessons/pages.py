"""Read a response the way a user reads the page: its visible text."""

import html
import re

import nh3


def visible_text(content: bytes | str) -> str:
    """The text of an HTML page or fragment, tags dropped and white space collapsed."""
    if isinstance(content, bytes):
        content = content.decode()
    content = re.sub(r"<head>.*?</head>", " ", content, flags=re.DOTALL)
    text = html.unescape(nh3.clean(content, tags=set()))
    return " ".join(text.split())
