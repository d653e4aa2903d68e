"""The world map of the public pages: country shapes from the npm package @svg-maps/world
(CC BY 4.0), bundled as one static file, static/vendor/svg-maps-world/world.svg. No tile
server, no CDN.

That file is the package's map (changed: drawn grey, each country a path whose id is its ISO
code, the package's names left to django-countries, which translates them): the pages draw
it as the background and colour a country with `<use href="…/world.svg#LK">`, so the shapes
(878 KB, 142 KB compressed) are fetched once and cached for good under a hashed name, and a
page names only the countries it colours. Its outlines keep their width at any zoom
(`vector-effect`, which a `<use>` cannot set from outside the file).

A country too small to see at the map's scale (Fiji, Sri Lanka, Albania…) also gets a dot of
a fixed size at the centre of its largest part, in its stage's colour."""

import dataclasses
import functools
import re
from collections import Counter

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django_countries import countries as country_names

from .models import Stage, country_name_key

FILE = "vendor/svg-maps-world/world.svg"

# Below this size (map units; the map is 1,010 wide) a country is a dot's worth of pixels on
# a laptop and nothing on a phone.
SMALL = 12
# The map's colours, one per phase of the process (static/css/site.css): steps of viridis,
# light to dark as a country advances, told apart with any colour vision and in greyscale.
# On hold is grey and hatched.
PHASES = (
    (Stage.INTEREST,),
    (Stage.FORMAL_REQUEST,),
    (Stage.FOCAL_POINT, Stage.RC_ENGAGED),
    (Stage.WORKSHOP_PLANNED,),
    (Stage.WORKSHOP_HELD,),
    (Stage.ROADMAP_ADOPTED, Stage.IMPLEMENTATION, Stage.PROGRESS_REVIEW),
    (Stage.ON_HOLD,),
)
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


@dataclasses.dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def size(self) -> float:
        return max(self.right - self.left, self.bottom - self.top)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def surroundings(self, *, ratio: float = 0.6, least: float = 60) -> str:
        """An SVG viewBox centred on the box, with its neighbours around it: three times the
        box, never less than `least` map units wide, `ratio` as high as wide."""
        width = 3 * max(self.right - self.left, (self.bottom - self.top) / ratio, least / 3)
        height = width * ratio
        x, y = self.centre
        return f"{x - width / 2:.1f} {y - height / 2:.1f} {width:.1f} {height:.1f}"


@dataclasses.dataclass(frozen=True)
class Shape:
    code: str
    box: Box  # of the country's largest part (Fiji straddles the map's two edges)

    @property
    def is_small(self) -> bool:
        return self.box.size < SMALL


@functools.cache
def _map() -> str:
    return (settings.BASE_DIR / "static" / FILE).read_text()


def view_box() -> str:
    return re.search(r'viewBox="([^"]+)"', _map())[1]


@functools.cache
def _paths() -> dict[str, str]:
    """ISO code → the country's path (the file is ours: one `<path id=… d=…>` a line)."""
    return dict(re.findall(r'<path id="(\w+)" d="([^"]+)"', _map()))


def _largest_part(path: str) -> Box:
    """The package's paths are relative moves and lines only ("m x,y dx,dy … z"): each part
    starts from where the previous one started."""
    x = y = 0.0
    best, best_area = None, -1.0
    for part in path.split("z"):
        numbers = [float(n) for n in _NUMBER.findall(part)]
        points = []
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=False):
            x, y = x + dx, y + dy
            points.append((x, y))
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = Box(min(xs), min(ys), max(xs), max(ys))
        area = (box.right - box.left) * (box.bottom - box.top)
        if area > best_area:
            best, best_area = box, area
        x, y = points[0]
    return best


@functools.cache
def shape(code: str) -> Shape | None:
    path = _paths().get(code)
    return Shape(code, _largest_part(path)) if path else None


def href() -> str:
    """The map file's address (hashed, so cached for good); a country's shape is `#CODE`."""
    return static(FILE)


@dataclasses.dataclass(frozen=True)
class Place:
    """A public country as the overview shows it: on the map (if it has a shape there, with a
    dot if it is too small to see) and in the list by stage."""

    code: str
    name: str
    stage: str
    stage_label: str
    url: str
    on_map: bool
    dot: tuple[str, str] | None  # the dot's centre, formatted for the SVG


def places(rows) -> list[Place]:
    """(ISO code, stage) rows → places sorted by name in the active language. Names, stage
    labels and addresses are looked up once per page, not once per country (at 200 countries,
    200 `reverse()` and some 4,000 translation lookups took tens of milliseconds)."""
    names = dict(country_names)
    labels = {value: str(label) for value, label in Stage.choices}
    url = reverse("pathfinder_public_detail", args=["ZZ"])  # ZZ: an ISO code never assigned
    found = []
    for code, stage in rows:
        where = shape(code)
        dot = tuple(f"{n:.1f}" for n in where.box.centre) if where and where.is_small else None
        found.append(
            Place(
                code=code,
                name=names.get(code, code),
                stage=stage,
                stage_label=labels[stage],
                url=url.replace("/ZZ/", f"/{code}/"),
                on_map=where is not None,
                dot=dot,
            )
        )
    return sorted(found, key=lambda place: country_name_key(place.name))


def legend(countries) -> list[tuple[str, list[str], int]]:
    """Each colour on the map: its stage (for the swatch), the stages it stands for, and how
    many of `countries` are at them. Only the colours the map shows: the public country page
    lists the whole process."""
    at = Counter(country.stage for country in countries)
    phases = [(phase, sum(at[stage] for stage in phase)) for phase in PHASES]
    return [(phase[0].value, [stage.label for stage in phase], n) for phase, n in phases if n]
