"""The Celery app: tasks are discovered in each Django app; the beat schedule lives in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")

app = Celery("alliance87")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
