"""Real services for the tests that need them: Redis, a local SMTP sink, subprocess settings.

In CI (CI=true) a missing service fails the test with a clear message; locally it skips.
"""

import os
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import IN_CI
from tests.smtp_sink import SmtpSink, free_port  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not reachable at {REDIS_URL} (.ci/run starts it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


def subprocess_env(**extra) -> dict:
    """The environment for a manage.py or celery process working on the test database."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**database),
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "alliance87.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env
