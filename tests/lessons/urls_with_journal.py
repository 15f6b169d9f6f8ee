"""The site's URLs with stand-ins for the journal's Practice forms at fixed addresses."""

from django.http import HttpResponse
from django.urls import path

from .urls_without_journal import journal_without_practice_forms


def _stand_in(request):
    return HttpResponse("journal form")


urlpatterns = journal_without_practice_forms(
    extra=[
        path("gratitude/new/", _stand_in, name="gratitude_new"),
        path("bids/new/", _stand_in, name="bid_new"),
        path("apologies/new/", _stand_in, name="apology_new"),
    ]
)
