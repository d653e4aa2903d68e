"""Benchmark: the site's pages under load, each next to bare Django on the same machine.

    make bench-pages        (or .venv/bin/python bench/pages.py)

Builds ten years of data with bench/volume.py in a database of its own: a SQLite file in a
temporary folder, or, when DATABASE_URL names a PostgreSQL server, a database `<name>_bench`
created on that server and dropped at the end. Serves the site with gunicorn as production does
(2 sync workers, DEBUG off), signs in through the login form as a GCG member and as a secretariat
officer, and loads each page of PAGES with wrk (16 connections, after a warm-up), each page's run
followed by one of the baseline, /bench/baseline/ (50 rows of the 100,000 action items in the
base layout, one query: alliance87.baseline). A page's ratio is its requests/s over that of the
baseline run right after it.

Prints the table (requests/s, ratio, p50, p99, errors: socket errors, timeouts and answers other
than 2xx, or no answer at all in the run; SQL queries per request, HTML size; and, measured in
this process, each page as the first reader after a write gets it, with no fragment of
coordination.caching kept: its time and its queries) and writes it to
bench/results/pages-<vendor>.md and .json. Exits 1 when a page had errors; pages under the
target ratio are listed, not failed.

Environment:
    DATABASE_URL    postgres://user:password@host:port/name: run on PostgreSQL (<name>_bench)
    BENCH_SECONDS   seconds of load per page and per baseline run (default 20; 5 for a quick run)
    BENCH_WARMUP    seconds of load before each page's measured run (default 3)
    BENCH_REUSE     a database bench/volume.py already built (a SQLite path or a postgres:// URL):
                    no build (half a minute), and it is left in place afterwards
"""

import datetime
import html.parser
import http.cookiejar
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

MEMBER, SECRETARIAT = "member", "secretariat"  # bench/volume.py's accounts (volume.ACCOUNTS)
GUIDANCE_NOTE = "Pathfinder Country Guidance Note"  # its open consultation has 500 comments

# The pages measured: label, who is signed in (None: the public), path. {meeting} is the 3rd GCG
# meeting, {consultation} the open Guidance Note consultation.
PAGES = [
    ("member's dashboard", MEMBER, "/dashboard/"),
    ("secretariat's dashboard", SECRETARIAT, "/dashboard/"),
    ("3rd GCG meeting report", MEMBER, "/meetings/{meeting}/"),
    ("action items", MEMBER, "/actions/"),
    ("action items, mine and overdue", MEMBER, "/actions/?mine=on&overdue=on"),
    ("consultation page", MEMBER, "/consultations/{consultation}/"),
    ("consultation management", SECRETARIAT, "/consultations/{consultation}/manage/"),
    ("public pathfinder page", None, "/pathfinder-countries/"),
    ("admin: action items", SECRETARIAT, "/admin/coordination/actionitem/"),
    ("admin: people", SECRETARIAT, "/admin/coordination/person/"),
]
BASELINE = "/bench/baseline/"

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = 16
THREADS = 2
WORKERS = 2
# gunicorn's own worker timeout: a request still unanswered then is an error for wrk too.
TIMEOUT = 30
TARGET = 0.5  # every page at least half the baseline's requests/s

# wrk's report, as one line of JSON: every thread counts the answers that are not 2xx (a login
# redirect would be a 302, which wrk's own "Non-2xx or 3xx" line does not count).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do non2xx = non2xx + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "timeouts": %d, '
    .. '"non2xx": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write, e.timeout, non2xx,
    latency:percentile(50), latency:percentile(99)))
end
"""


class BenchError(Exception):
    pass


def main() -> int:
    wrk = wrk_path()
    workdir = Path(tempfile.mkdtemp(prefix="alliance87-pages-"))
    database_url, drop = database_create(workdir)
    server = None
    try:
        if not os.environ.get("BENCH_REUSE"):
            print(f"Building the data (bench/volume.py) into {safe(database_url)}...", flush=True)
            run([sys.executable, "bench/volume.py", database_url], env=base_env(workdir))
        env = {
            **base_env(workdir),
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "BENCH_BASELINE": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            # plain http on the loopback: cookies that are not https-only
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "SENTRY_DSN": "",
        }
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
        site = site_prepare(env)
        port = free_port()
        server = gunicorn_start(env, port, workdir)
        base = f"http://127.0.0.1:{port}"
        cookies = {None: ""}
        for who in (MEMBER, SECRETARIAT):
            cookies[who] = login(base, site["accounts"][who])
        script = workdir / "report.lua"
        script.write_text(WRK_SCRIPT)

        pages = []
        for label, who, path in PAGES:
            path = path.format(**site["lookups"])
            pages.append(
                {
                    "page": label,
                    "path": path,
                    "user": who or "anonymous",
                    "bytes": page_check(base, path, cookies[who]),
                    "queries": site["queries"][label],
                    "cold": site["cold"][label],
                }
            )
        page_check(base, BASELINE, "")
        print(
            f"Loading {len(pages)} pages, {SECONDS} s each at {CONNECTIONS} connections "
            f"(after {WARMUP} s of warm-up), each followed by {SECONDS} s of the baseline...",
            flush=True,
        )
        load(wrk, script, base, BASELINE, "", WARMUP)
        for page in pages:
            cookie = cookies[None if page["user"] == "anonymous" else page["user"]]
            load(wrk, script, base, page["path"], cookie, WARMUP)
            page.update(load(wrk, script, base, page["path"], cookie, SECONDS))
            baseline = load(wrk, script, base, BASELINE, "", SECONDS)
            page["baseline_rps"] = baseline["rps"]
            page["baseline_errors"] = baseline["errors"]
            page["ratio"] = page["rps"] / baseline["rps"] if baseline["rps"] else 0.0
            print(
                f"  {page['page']}: {page['rps']:.1f} req/s, baseline {baseline['rps']:.1f}",
                flush=True,
            )
        report = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "commit": commit(),
            "vendor": site["vendor"],
            "cores": os.cpu_count(),
            "volume": site["volume"],
            "seconds": SECONDS,
            "warmup": WARMUP,
            "connections": CONNECTIONS,
            "workers": WORKERS,
            "baseline_queries": site["queries"][BASELINE],
            "pages": pages,
        }
        return results_write(report)
    except BenchError as error:
        print(f"bench/pages.py: {error}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if drop is not None:
            drop()
        shutil.rmtree(workdir, ignore_errors=True)


def wrk_path() -> str:
    """wrk from Debian: installed here when missing and we may (root), else a clear refusal."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (apt-get install -y wrk)...", flush=True)
        if subprocess.run(["apt-get", "install", "-y", "wrk"]).returncode != 0:
            subprocess.run(["apt-get", "update"], check=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
        return shutil.which("wrk")
    sys.exit("bench/pages.py needs wrk, the HTTP load generator: `sudo apt-get install wrk`.")


def database_create(workdir: Path):
    """The URL of the bench's own database, and how to drop it (None: leave it)."""
    reuse = os.environ.get("BENCH_REUSE", "")
    if reuse:
        return (reuse if "://" in reuse else f"sqlite:///{Path(reuse).resolve()}"), None
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'bench.sqlite3'}", None
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'alliance87'}_bench"
    server = parts._replace(path="/postgres").geturl()

    def execute(sql):
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl(), lambda: execute(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


def base_env(workdir: Path) -> dict:
    env = {**os.environ, "MEDIA_ROOT": str(workdir / "media")}
    env["STATIC_ROOT"] = str(workdir / "static")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("BENCH_REUSE", None)
    return env


def run(command, *, env):
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise BenchError(f"{' '.join(command[1:3])} failed (exit {result.returncode})")


def site_prepare(env: dict) -> dict:
    """In this process, on the bench's database: the accounts the pages sign in with, what the
    pages' paths need, the data volume, and each page's SQL queries (Django's test
    client, signed in as the same account; the second request is counted)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alliance87.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import (
        override_settings,
        setup_test_environment,
    )
    from django.utils import timezone

    from actiongroups.models import PartnerApplication
    from bench import volume
    from coordination.models import (
        ActionItem,
        Comment,
        Consultation,
        DocumentVersion,
        Group,
        Meeting,
        Membership,
        Organisation,
        Person,
        User,
    )
    from pathfinders.models import InterestSubmission, PathfinderCountry

    setup_test_environment()
    accounts, users = {}, {}
    for local in (MEMBER, SECRETARIAT):
        email, password = volume.ACCOUNTS[local]
        try:
            users[local] = User.objects.get(email=email)
        except User.DoesNotExist:
            message = f"no {local} account: was the database built by bench/volume.py?"
            raise BenchError(message) from None
        accounts[local] = (email, password)
    member, secretariat = users[MEMBER], users[SECRETARIAT]
    if not Membership.objects.filter(person__user=member, group__slug="gcg").exists():
        raise BenchError(f"{member.email} is not a member of the GCG")
    if not (
        secretariat.is_staff
        and secretariat.has_perm("coordination.view_actionitem")
        and secretariat.has_perm("coordination.view_person")
    ):
        raise BenchError(f"{secretariat.email} has no access to the admin's lists")

    now = timezone.now()
    consultation = (
        Consultation.objects.filter(
            version__document__title=GUIDANCE_NOTE, opens_at__lte=now, closes_at__gt=now
        )
        .order_by("-opens_at")
        .first()
    )
    if consultation is None:
        raise BenchError(f"no open consultation on the {GUIDANCE_NOTE}")
    lookups = {
        "meeting": Meeting.objects.get(group__slug="gcg", number=3).pk,
        "consultation": consultation.pk,
    }
    volume = {
        "action items": ActionItem.objects.count(),
        "action items owned by the GCG": ActionItem.objects.filter(
            owner_groups__slug="gcg"
        ).count(),
        "people": Person.objects.count(),
        "people in the GCG": Membership.objects.filter(group__slug="gcg").count(),
        "meetings": Meeting.objects.count(),
        f"comments on the {GUIDANCE_NOTE}": Comment.objects.filter(
            consultation=consultation
        ).count(),
        "comments": Comment.objects.count(),
        "pathfinder countries": PathfinderCountry.objects.count(),
        "organisations": Organisation.objects.count(),
        "groups": Group.objects.count(),
        "document versions": DocumentVersion.objects.count(),
        "public submissions": InterestSubmission.objects.count()
        + PartnerApplication.objects.count(),
    }

    def client_for(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def counted(client, path) -> int:
        """The queries of one request (Django's query log is emptied as each request starts)."""
        captured = []

        def count(execute, sql, params, many, context):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{path} answers {response.status_code} to the test client")
        return len(captured)

    def queries(path, user):
        client = client_for(user)
        client.get(path)  # once first: what a warm worker has cached is not counted
        return counted(client, path)

    def after_a_write(path, user):
        """The page as its first reader after a write gets it: no fragment kept
        (coordination.caching). Its queries, and the median of five requests in this process."""
        client = client_for(user)
        with override_settings(FRAGMENT_CACHE_SECONDS=0):
            client.get(path)
            count = counted(client, path)
            times = []
            for _ in range(5):
                start = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - start)
        return {"queries": count, "ms": statistics.median(times) * 1000}

    counts = {BASELINE: queries(BASELINE, None)}
    cold = {}
    for label, who, path in PAGES:
        counts[label] = queries(path.format(**lookups), users.get(who))
        cold[label] = after_a_write(path.format(**lookups), users.get(who))
    result = {
        "vendor": connection.vendor,
        "accounts": accounts,
        "lookups": lookups,
        "volume": volume,
        "queries": counts,
        "cold": cold,
    }
    connections.close_all()
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_start(env: dict, port: int, workdir: Path) -> subprocess.Popen:
    log = workdir / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "alliance87.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--timeout={TIMEOUT}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{BASELINE}", timeout=5):
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    server.terminate()
    raise BenchError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


class _CsrfToken(html.parser.HTMLParser):
    token = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.token = attrs.get("value", "")


def login(base: str, account: tuple[str, str]) -> str:
    """Signs in through the login form, as a person would; returns the Cookie header."""
    email, password = account
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(f"{base}/accounts/login/") as response:
        form = _CsrfToken()
        form.feed(response.read().decode())
    data = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": form.token}
    ).encode()
    with browser.open(f"{base}/accounts/login/", data=data) as response:  # follows to /dashboard/
        landed = urllib.parse.urlsplit(response.url).path
    if landed != "/dashboard/" or not any(cookie.name == "sessionid" for cookie in jar):
        raise BenchError(f"signing in as {email} failed (landed on {landed})")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def page_check(base: str, path: str, cookie: str) -> int:
    """The page answers 200 itself (not a redirect to the login form); returns its size."""
    browser = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with browser.open(request, timeout=TIMEOUT) as response:
            return len(response.read())
    except urllib.error.HTTPError as error:
        raise BenchError(
            f"{path} answers {error.code} {error.headers.get('Location', '')}".rstrip()
        ) from error


def load(wrk: str, script: Path, base: str, path: str, cookie: str, seconds: int) -> dict:
    """One wrk run; errors count socket errors, timeouts, answers other than 2xx, and a run in
    which no request was answered at all."""
    if seconds <= 0:
        return {}
    command = [
        wrk,
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        f"--timeout={TIMEOUT}s",
        "--latency",
        f"--script={script}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, base + path], capture_output=True, text=True)
    drain(base)
    output = result.stdout
    if result.returncode != 0:
        raise BenchError(f"wrk failed (exit {result.returncode}):\n{result.stderr}")
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise BenchError(f"no report from wrk:\n{output}")
    figures = json.loads(line.removeprefix("BENCH "))
    seconds = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "rps": figures["requests"] / seconds if seconds else 0.0,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["socket_errors"] + figures["timeouts"] + figures["non2xx"],
        "unanswered": figures["requests"] == 0,
    }


def drain(base: str) -> None:
    """wrk has closed its connections, but the workers still answer the requests it left in
    gunicorn's queue: the next run starts once they are through (a request sent now is answered
    after them)."""
    for _ in range(WORKERS):
        with urllib.request.urlopen(base + BASELINE, timeout=900) as response:
            response.read()


def commit() -> str:
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def results_write(report: dict) -> int:
    """Prints the table, writes it as Markdown and JSON; 1 when a page had errors."""
    markdown = table(report)
    print()
    print(markdown)
    RESULTS.mkdir(exist_ok=True)
    name = f"pages-{report['vendor']}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)
    print(f"Written to bench/results/{name}.md and .json")
    slow = [page["page"] for page in report["pages"] if page["ratio"] < TARGET]
    if slow:
        print(f"Under {TARGET:.0%} of the baseline's requests/s: " + ", ".join(slow))
    failed = [page["page"] for page in report["pages"] if page["errors"] or page["unanswered"]]
    failed += [
        f"the baseline after {page['page']}"
        for page in report["pages"]
        if page["baseline_errors"] or not page["baseline_rps"]
    ]
    if failed:
        print("Errors on: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def table(report: dict) -> str:
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(report["vendor"])
    baselines = [page["baseline_rps"] for page in report["pages"]]
    lines = [
        f"Pages under load on {vendor or report['vendor']}, {report['cores']} cores, "
        f"{report['date'][:10]} (commit {report['commit']}): gunicorn with {report['workers']} "
        f"sync workers, DEBUG off; wrk at {report['connections']} connections, "
        f"{report['seconds']} s per page after {report['warmup']} s of warm-up, each followed "
        f"by {report['seconds']} s of the baseline ({min(baselines):.0f}–{max(baselines):.0f} "
        f"req/s, {report['baseline_queries']} query). Data: "
        + ", ".join(f"{count:,} {kind}" for kind, count in report["volume"].items())
        + ".",
        "",
        "| page | req/s | ratio to baseline | p50 | p99 | errors | queries | HTML "
        "| first reader after a write |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in report["pages"]:
        cold = page.get("cold")
        after_a_write = "–"
        if cold:
            noun = "query" if cold["queries"] == 1 else "queries"
            after_a_write = f"{cold['ms']:.0f} ms, {cold['queries']} {noun}"
        lines.append(
            f"| {page['page']} | {page['rps']:.1f} | {page['ratio']:.2f} "
            f"| {page['p50_ms']:.0f} ms | {page['p99_ms']:.0f} ms "
            f"| {'no answer in the run' if page['unanswered'] else page['errors']} "
            f"| {page['queries']} | {page['bytes'] / 1024:.0f} KiB "
            f"| {after_a_write} |"
        )
    lines += [
        "",
        "Under load every page but the first of each reader is served from the fragments kept "
        "until the record changes (coordination.caching). The last column is what the first "
        "reader after a write waits for: one request in the bench's own process, no fragment "
        "kept, median of five.",
    ]
    return "\n".join(lines) + "\n"


def safe(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return parts.geturl()


if __name__ == "__main__":
    sys.exit(main())
