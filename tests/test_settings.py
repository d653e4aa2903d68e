"""Production settings pass `check --deploy`; services the stack needs are reachable in CI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-Qm2vR9pL4sT8wZ1yB6nC3kF5hJ0dG-aE!uV^oI*rN&eW@zX#cY$tU%qP",
    "ALLOWED_HOSTS": "coordination.alliance87.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "BEHIND_HTTPS_PROXY": "1",
    "SITE_URL": "https://coordination.alliance87.org",
}


def manage(*args, env, tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a test-only switch
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_links_in_emails_are_not_https(tmp_path):
    env = {**PRODUCTION, "SITE_URL": "http://coordination.alliance87.org"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "coordination.W001" in result.stdout + result.stderr


def test_admins_and_sentry_come_from_the_environment(tmp_path):
    """Settings read ADMINS and turn Sentry on with SENTRY_DSN (a DSN on this machine: nothing
    is sent, no error happens); check --deploy stays clean with them."""
    env = {
        **PRODUCTION,
        "ADMINS": "Ana Ops <ana@example.org>, ops@example.org",
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "SENTRY_ENVIRONMENT": "staging",
    }
    code = (
        "import sentry_sdk; from django.conf import settings; client = sentry_sdk.get_client(); "
        "print(settings.ADMINS, client.is_active(), client.options['environment'])"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "[('Ana Ops', 'ana@example.org'), ('ops@example.org', 'ops@example.org')] True staging"
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_production_refuses_to_start(tmp_path):
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if (
            "<script>" in text
            or " on" in text
            and any(
                f" on{event}=" in text for event in ("click", "load", "error", "submit", "change")
            )
        ):
            offenders.append(str(path.relative_to(ROOT)))
        if "style=" in text:
            offenders.append(f"{path.relative_to(ROOT)} (inline style)")
    assert not offenders


def test_redis_broker_is_reachable():
    """The Celery broker; in CI it must run (.ci/run starts it), locally it may be absent."""
    import redis

    try:
        assert redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            pytest.fail(f"Redis is not reachable at {settings.CELERY_BROKER_URL} (see .ci/run)")
        pytest.skip("Redis is not running here (runs in CI)")


def test_the_cache_is_redis_when_cache_url_says_so(tmp_path):
    """Production and docker compose share one Redis cache (with timeouts: a Redis that is
    away never hangs a page); without CACHE_URL each process keeps its own, as `make demo` does.
    Rendered Markdown and fragments of pages (keyed by the record's generation, which lives in
    the database) are each process's own in both cases."""
    code = (
        "from django.conf import settings; "
        "print([(c['BACKEND'].rsplit('.', 1)[-1], c['LOCATION'], c.get('OPTIONS', {})) "
        "for c in settings.CACHES.values()])"
    )
    markdown = ("LocMemCache", "markdown", {"MAX_ENTRIES": 5000})
    fragments = ("LocMemCache", "fragments", {"MAX_ENTRIES": 2000})
    for cache_url, default in [
        ("", ("LocMemCache", "", {})),
        (
            "redis://127.0.0.1:6379/1",
            (
                "RedisCache",
                "redis://127.0.0.1:6379/1",
                {"socket_connect_timeout": 1, "socket_timeout": 1},
            ),
        ),
    ]:
        env = {**PRODUCTION, "CACHE_URL": cache_url}
        result = manage("shell", "--verbosity", "0", "-c", code, env=env, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str([default, markdown, fragments])


def test_the_redis_cache_named_by_cache_url_is_used(tmp_path):
    """With CACHE_URL set, what one process caches another reads (from Redis)."""
    env = {**PRODUCTION, "CACHE_URL": "redis://127.0.0.1:6379/15"}
    write = "from django.core.cache import cache; cache.set('alliance87-test', 'kept', 30)"
    read = "from django.core.cache import cache; print(cache.get('alliance87-test'))"
    result = manage("shell", "--verbosity", "0", "-c", write, env=env, tmp_path=tmp_path)
    if "ConnectionError" in result.stderr:
        if IN_CI:
            pytest.fail("Redis is not reachable at 127.0.0.1:6379 (see .ci/run)")
        pytest.skip("Redis is not running here (runs in CI)")
    assert result.returncode == 0, result.stderr
    result = manage("shell", "--verbosity", "0", "-c", read, env=env, tmp_path=tmp_path)
    assert result.stdout.strip() == "kept", result.stderr


def test_production_static_files_collect_with_their_manifest(tmp_path):
    """whitenoise's manifest storage refuses a stylesheet or script whose references are
    missing (source maps included): collecting must succeed as the Dockerfile does it."""
    result = manage(
        "collectstatic",
        "--noinput",
        env={**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
