import pytest

from tests.browser.walk import Walk

WALKS_KEY = pytest.StashKey[list]()


@pytest.fixture(autouse=True)
def _fragments_cached(settings):
    """The live server's requests commit: the flows run with the fragments kept, as in
    production (coordination.caching), so a page that kept what a click changed shows it."""
    settings.FRAGMENT_CACHE_SECONDS = 3600


@pytest.fixture
def watch_csp():
    """Wraps pages so that any Content-Security-Policy violation fails the test at its end."""
    violations = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and violations.append(message.text)
            ),
        )
        return page

    yield watch
    assert not violations, violations


@pytest.fixture
def walk(request, browser, live_server, watch_csp):
    """walk("flow-name") starts a flow (tests/browser/walk.py); the summary of each, its clicks
    and what axe found on each page, is printed at the end of the run."""
    walks = []

    def start(name: str) -> Walk:
        walks.append(Walk(name, browser=browser, base_url=live_server.url, watch_csp=watch_csp))
        return walks[-1]

    yield start
    request.config.stash.setdefault(WALKS_KEY, []).extend(walks)
    if not getattr(request.node, "call_failed", False):
        for each in walks:
            each.end()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.call_failed = True
    return report


def pytest_terminal_summary(terminalreporter, config):
    walks = config.stash.get(WALKS_KEY, [])
    if walks:
        terminalreporter.section("flows")
        for each in walks:
            terminalreporter.write_line(each.summary())
