"""A flow walked as a person walks it: one entry (the home page, or a link in an email), then
only clicks; at each step the person looks at the page.

A step runs axe on the page (a serious or critical violation fails the test) and, with
SCREENSHOTS=1 (`make screenshots`), saves it at 1280 and 390 px as
screenshots/<flow>/<NN>-<step>-<width>.png. The walk counts the person's clicks (the trusted
click events in the page: links, buttons, checkboxes; typing and choosing in a list are not
clicks) and refuses two shortcuts: a page loaded that no step looked at, and a page reached
without a click after the entry (a typed address sends no Referer; a click or a form does).
"""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

SCREENSHOTS = os.environ.get("SCREENSHOTS", "").lower() in ("1", "true", "yes")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
SCREENSHOT_WIDTHS = (1280, 390)
SERIOUS = {"serious", "critical"}

# Counts the person's clicks; a script's own .click() is not trusted and not counted.
CLICK_COUNTER = """
document.addEventListener("click", (event) => {
  if (event.isTrusted) window.walkClicked();
}, true);
"""

_axe = Axe()


def serious_violations(page: Page) -> list[str]:
    """What axe finds serious or critical on the page as it is now."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@dataclass
class Visit:
    """One step: the page the person looked at, and what axe found serious there."""

    step: str
    path: str
    width: int
    violations: list[str] = field(default_factory=list)


class Walk:
    def __init__(self, name: str, *, browser: Browser, base_url: str, watch_csp):
        self.name, self.browser, self.base_url, self.watch_csp = name, browser, base_url, watch_csp
        self.clicks = 0
        self.visits: list[Visit] = []
        self._loaded: dict[Page, list[str]] = {}  # pages loaded since each page's last step
        self._entered: set[Page] = set()
        self._typed: list[str] = []
        if SCREENSHOTS:
            shutil.rmtree(SCREENSHOT_DIR / name, ignore_errors=True)

    # --- the people -------------------------------------------------------------------------

    def person(self, *, width: int = 1280, height: int = 900, **context_options) -> Page:
        """A browser of their own: a laptop, or a phone with width=390."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, **context_options
        )
        context.expose_binding("walkClicked", lambda source: self._clicked())
        context.add_init_script(CLICK_COUNTER)
        page = self.watch_csp(context.new_page())
        page.on("load", lambda loaded: self._loaded.setdefault(loaded, []).append(loaded.url))
        page.on("request", lambda request: self._check_typed(page, request))
        return page

    def enter(self, page: Page, url: str = "/", *, step: str = "home"):
        """The person's one typed address: the home page, or the link an email gave them."""
        assert page not in self._entered, "a person enters once; after that, they click"
        page.goto(url if url.startswith("http") else self.base_url + url)
        self._entered.add(page)
        self.step(page, step)

    def log_in(self, page: Page, email: str, password: str, *, name: str):
        """From the home page to the dashboard: 2 clicks."""
        self.enter(page)
        page.get_by_role("link", name="Log in").last.click()  # the home page's button
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        self.step(page, "log-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()
        self.step(page, "dashboard")

    # --- what the walk checks ---------------------------------------------------------------

    def step(self, page: Page, name: str):
        """The person looks at the page (after the test has said what they see there)."""
        page.wait_for_load_state()
        violations = serious_violations(page)  # a round trip: every earlier event has arrived
        self.visits.append(
            Visit(name, urlsplit(page.url).path, page.viewport_size["width"], violations)
        )
        unseen = self._loaded.pop(page, [])[:-1]
        assert not unseen, f"{self.name}: pages loaded before “{name}” that no step saw: {unseen}"
        assert not self._typed, f"{self.name}: reached without a click: {self._typed}"
        if SCREENSHOTS:
            self._screenshot(page, name)
        assert not violations, f"{self.name}, {name} ({page.url}): {violations}"

    def end(self):
        """Called after the test: the last page each person loaded was looked at too."""
        unseen = [url for urls in self._loaded.values() for url in urls]
        assert not unseen, f"{self.name}: pages loaded after the last step: {unseen}"

    def summary(self) -> str:
        pages = ", ".join(
            f"{visit.step} {visit.width}px: {len(visit.violations)}" for visit in self.visits
        )
        return (
            f"{self.name}: {self.clicks} clicks, {len(self.visits)} pages looked at "
            f"(serious or critical axe violations: {pages})"
        )

    def _clicked(self):
        self.clicks += 1

    def _check_typed(self, page: Page, request):
        if (
            page in self._entered
            and request.is_navigation_request()
            and request.frame == page.main_frame
            and "referer" not in request.headers
        ):
            self._typed.append(request.url)

    def _screenshot(self, page: Page, name: str):
        folder = SCREENSHOT_DIR / self.name
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        size = page.viewport_size
        for width in SCREENSHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            page.screenshot(
                path=folder / f"{len(self.visits):02d}-{slug}-{width}.png",
                full_page=True,
                animations="disabled",
            )
        page.set_viewport_size(size)
