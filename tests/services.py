"""Real services for the tests that need them: Redis, a local SMTP sink, subprocess settings.

In CI (CI=true) a missing service fails the test with a clear message; locally it skips.
"""

import os
import shutil
import subprocess
import time
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


class RedisServer:
    """A private `redis-server` on a free port of 127.0.0.1, without persistence, which a test
    may stop (an outage) and start again on the same port. Nothing else uses it."""

    def __init__(self):
        self.executable = shutil.which("redis-server")
        if self.executable is None:
            message = "redis-server is not installed (.ci/run installs it)"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(  # noqa: S603
            [self.executable, "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
