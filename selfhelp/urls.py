from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import confirmation_link_retired
from core import views
from home.views import today

# The admin's own login form would skip allauth's: its rate limits and two-step login. Staff
# log in through allauth's page first, as allauth's documentation advises.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", today, name="home"),
    path("help/", views.get_help, name="get_help"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("accounts/confirm-email/<str:key>/", confirmation_link_retired),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("home.urls")),
    path("lessons/", include("lessons.urls")),
    path("journal/", include("journal.urls")),
    path("journal/", include("practice.urls")),
    path("reminders/", include("nudges.urls")),
    path("sharing/", include("sharing.urls")),
    path("partner/", include("partners.urls")),
    path("", include("health.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_VIEWS:
    urlpatterns.append(path("bench/", include("benchmarks.urls")))
