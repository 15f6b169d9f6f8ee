"""The site's URLs without the journal's Practice forms, as before the journal app had them."""

from django.urls import include, path

from selfhelp.urls import urlpatterns as site_urlpatterns

PRACTICE_FORMS = {"gratitude_new", "bid_new", "apology_new"}


def journal_without_practice_forms(extra=()):
    """The site's URLs with the journal's other pages kept (the nav links to them)."""
    patterns = []
    for pattern in site_urlpatterns:
        if getattr(pattern, "namespace", None) == "journal":
            kept = [
                p for p in pattern.url_patterns if getattr(p, "name", None) not in PRACTICE_FORMS
            ]
            pattern = path(str(pattern.pattern), include(([*kept, *extra], "journal")))
        patterns.append(pattern)
    return patterns


urlpatterns = journal_without_practice_forms()
