"""The cast of the tests, the rules for tests that need real services, and the clock.

In CI (CI=true) the suite must run on PostgreSQL with Chromium present: a missing service
stops the run with a clear message instead of skipping. With TEST_CLOCK=HH:MM (`make
test-clock`, which CI runs too) every test starts at that time, UTC, of today.
"""

import datetime
import os
import shutil

import pytest
import time_machine
from django.conf import global_settings, settings
from django.utils import timezone, translation

from tests import factories

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = "/usr/bin/chromium"
TEST_CLOCK = os.environ.get("TEST_CLOCK", "")


def _is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server
    # Every account the tests make, sign in or load with the demo hashes its password: with
    # PBKDF2's million rounds that was a quarter of a second each, minutes over the suite. The
    # tests check what a password lets in, never how it is stored (production keeps Django's
    # default hashers); the others stay listed, so a hash made the slow way still checks.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *global_settings.PASSWORD_HASHERS,
    ]


def pytest_sessionstart(session):
    if IN_CI and not _is_postgres():
        pytest.exit(
            "CI must run the tests on PostgreSQL: set DATABASE_URL=postgres://... (see .ci/run).",
            returncode=3,
        )
    if IN_CI and not os.path.exists(CHROMIUM):
        pytest.exit(f"CI needs Chromium at {CHROMIUM} for the browser tests (see .ci/run).", 3)
    if IN_CI and not shutil.which("soffice"):
        pytest.exit("CI needs LibreOffice (soffice) for the Word import tests (see .ci/run).", 3)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and not _is_postgres():
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (runs in CI)"))
        if "browser" in item.keywords and not os.path.exists(CHROMIUM):
            item.add_marker(pytest.mark.skip(reason=f"needs {CHROMIUM} (runs in CI)"))
        if "libreoffice" in item.keywords and not shutil.which("soffice"):
            item.add_marker(pytest.mark.skip(reason="needs LibreOffice's soffice (runs in CI)"))


@pytest.fixture(scope="session")
def clock_start() -> datetime.datetime | None:
    """Today (UTC, as the run began) at TEST_CLOCK; None without it."""
    if not TEST_CLOCK:
        return None
    hour, minute = (int(part) for part in TEST_CLOCK.split(":"))
    today = datetime.datetime.now(datetime.UTC).date()
    return datetime.datetime.combine(today, datetime.time(hour, minute), tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _test_clock(request, clock_start):
    """Each test starts at the set time and the clock runs on: at 00:30 UTC Geneva has the same
    date, New York still yesterday's. A test that travels itself keeps its own time (time-machine
    nests). Tests of real services keep the real clock: a worker, a server or a browser in
    another process would not share the fake one."""
    if clock_start is None or any(
        request.node.get_closest_marker(name) for name in ("postgres", "browser")
    ):
        yield
        return
    with time_machine.travel(clock_start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _nothing_stays_activated():
    """A time zone or language left active by a test (or by a request it made) would be the
    next test's: its "today" would depend on the order and the hour. Each test ends as it began."""
    yield
    zone, language = timezone.get_current_timezone_name(), translation.get_language()
    timezone.deactivate()
    translation.deactivate()  # so that one leak fails one test, not every one after it
    if (zone, language) != (settings.TIME_ZONE, settings.LANGUAGE_CODE):
        pytest.fail(
            f"The test left time zone {zone!r} and language {language!r} active "
            f"(expected {settings.TIME_ZONE!r} and {settings.LANGUAGE_CODE!r})."
        )


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: what one test cached is never another's."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fragments_rendered_each_time(settings):
    """A test's transaction never commits, so the record's generation never moves on within
    it (coordination.caching): pages render every fragment, except in the tests of the cache,
    which commit for real (tests/test_fragment_cache.py)."""
    settings.FRAGMENT_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _plain_static_and_media(settings, tmp_path):
    """No collectstatic manifest in tests, and uploads go to a throw-away folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_worker_in_this_process(monkeypatch):
    """After a commit the outbox asks a Celery worker to send; tests have none (and must not
    queue tasks on a shared Redis): they send with the `delivered` fixture, as a worker would.
    The tests of the real worker and broker run them in their own processes."""
    monkeypatch.setattr("coordination.outbox.outbox_wake", lambda: None)


@pytest.fixture
def delivered(mailoutbox):
    """Runs the outbox's sender, as the worker does after a commit, and returns what reached
    the mail server (pytest-django's mailoutbox)."""
    from coordination.outbox import outbox_flush

    def deliver():
        outbox_flush()
        return mailoutbox

    return deliver


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


# --- the cast -------------------------------------------------------------------------------


@pytest.fixture
def gcg(db):
    return factories.GroupFactory(slug="gcg", name="Global Coordinating Group", short_name="GCG")


@pytest.fixture
def other_group(db):
    return factories.GroupFactory(
        slug="migration", name="Migration Action Group", short_name="Migration AG"
    )


@pytest.fixture
def secretariat(db):
    return factories.UserFactory(email="officer@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def secretariat_by_permission(db):
    """In the “Secretariat” group only: neither staff nor superuser, and in no group of people."""
    from coordination.models import secretariat_group

    user = factories.UserFactory(email="by-permission@example.org")
    user.groups.add(secretariat_group())
    return user


@pytest.fixture
def staff_without_permissions(db):
    """Staff (the admin lets them in) with no permission, no person and no membership."""
    return factories.UserFactory(email="staff@example.org", is_staff=True)


@pytest.fixture
def no_membership(db):
    """Signed in, with no person and no membership."""
    return factories.UserFactory(email="nobody@example.org")


@pytest.fixture
def gcg_member(gcg):
    user = factories.UserFactory(email="member@example.org")
    factories.MembershipFactory(person__user=user, person__email=user.email, group=gcg)
    return user


@pytest.fixture
def outsider(other_group):
    """Signed in, but a member of another group only."""
    user = factories.UserFactory(email="outsider@example.org")
    factories.MembershipFactory(person__user=user, person__email=user.email, group=other_group)
    return user


@pytest.fixture
def demo(db, settings):
    """The 3rd GCG meeting, loaded as `make demo` loads it (DEBUG on: with the demo accounts)."""
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
    from coordination.models import Meeting, User

    # Demo accounts never sign in with DEBUG off (as in production): the tests, which run
    # with DEBUG off, give the same people ordinary addresses.
    users = {}
    for role in ("secretariat", "member", "chair"):
        user = User.objects.get(email=f"{role}@demo.alliance87.invalid")
        user.email = f"{role}@example.org"
        user.save(update_fields=["email"])
        users[role] = user
    return {"meeting": Meeting.objects.get(group__slug="gcg", number=3), **users}


@pytest.fixture
def waiting_item(gcg):
    """“Two weeks after receipt of the revised draft”: its clock starts when the draft is shared."""
    document = factories.DocumentFactory(owner_group=gcg)
    return factories.ActionItemFactory(
        meeting__group=gcg,
        meeting__time_zone="Europe/Zurich",
        due_on=None,
        due_days_after_trigger=14,
        trigger="receipt of the revised draft",
        trigger_document=document,
    )
