from django.conf import settings


def quick_exit(request) -> dict[str, str]:
    """The neutral site "Exit quickly" leaves for (templates/_quick_exit.html)."""
    return {"quick_exit_url": settings.QUICK_EXIT_URL}
