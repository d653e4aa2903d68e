"""The world map of the public page: country shapes from the npm package @svg-maps/world
(CC BY 4.0), bundled under static/vendor/svg-maps-world. No tile server, no CDN."""

import functools
import json

from django.conf import settings


@functools.cache
def _shapes() -> dict:
    path = settings.BASE_DIR / "static" / "vendor" / "svg-maps-world" / "world.json"
    return json.loads(path.read_text())


def view_box() -> str:
    return _shapes()["viewBox"]


def shapes_for(codes) -> dict[str, str]:
    """ISO code → SVG path of each country on the map (those it has)."""
    locations = _shapes()["locations"]
    return {code: locations[code]["path"] for code in codes if code in locations}
