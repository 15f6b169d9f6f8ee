from django.urls import path

from .kinds import KINDS
from .views import entries as views

app_name = "journal"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    *(
        path(f"{kind.url_segment}/new/", views.entry_new, {"kind": kind.value}, name=f"{value}_new")
        for value, kind in KINDS.items()
        if not kind.own_pages
    ),
    path("entries/<id:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<id:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<id:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<id:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("entries/<id:pk>/status/", views.apology_status, name="apology_status"),
    path("entries/<id:pk>/told/", views.entry_told, name="entry_told"),
    path("insights/", views.insights, name="insights"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("print/", views.print_range, name="print"),
]
