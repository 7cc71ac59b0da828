"""WSGI entry point for gunicorn: ``gunicorn reporting.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reporting.settings")

application = get_wsgi_application()
