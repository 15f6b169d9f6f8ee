import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfhelp.settings")
application = get_wsgi_application()

from core.crypto import master_keys  # noqa: E402  (needs the settings loaded above)

master_keys()  # refuse to serve without CLOSER_ENCRYPTION_KEYS: journal text is encrypted
