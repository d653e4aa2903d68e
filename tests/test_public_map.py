"""The public map of the pathfinder countries: colours that people with any colour vision tell
apart, a legend, a dot for the countries too small to see, and each country's public entry."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from pathfinders import worldmap
from pathfinders.models import PathfinderCountry, Stage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries(db):
    public = {"LK": "workshop_planned", "FJ": "formal_request", "MX": "interest", "MG": "on_hold"}
    for code, stage in public.items():
        PathfinderCountry.objects.create(country=code, stage=stage, is_public=True)
    PathfinderCountry.objects.create(country="PE", stage="interest")  # not public
    PathfinderCountry.objects.create(country="TN", stage="withdrawn", is_public=True)


def test_each_country_in_the_list_links_to_its_public_entry(client, countries):
    page = client.get(reverse("pathfinder_public")).content.decode()
    for code, name in [("LK", "Sri Lanka"), ("FJ", "Fiji"), ("MX", "Mexico"), ("MG", "Madagascar")]:
        assert f'<a href="/pathfinder-countries/{code}/">{name}</a>' in page
    assert "Peru" not in page and "Tunisia" not in page


def test_countries_too_small_to_see_get_a_dot_in_their_stages_colour(client, countries):
    page = client.get(reverse("pathfinder_public")).content.decode()
    dots = dict(re.findall(r'class="map-dot stage-(\w+)" data-country-dot="(\w+)"', page))
    assert dots == {"formal_request": "FJ", "workshop_planned": "LK"}  # not Mexico or Madagascar
    assert 'data-country="MX"' in page  # the large ones are their shape


def test_the_legend_names_each_colour_on_the_map_with_how_many_countries_are_at_it(
    client, countries
):
    PathfinderCountry.objects.create(country="NP", stage="rc_engaged", is_public=True)
    page = client.get(reverse("pathfinder_public")).content.decode()
    legend = page.split('data-testid="legend">', 1)[1].split("</ul>", 1)[0]
    assert "Interest expressed (1)" in legend
    assert "Formal request received (1)" in legend
    assert "Government focal point nominated · UN Resident Coordinator engaged (1)" in legend
    assert "On hold (1)" in legend
    assert "Roadmap adopted" not in legend  # no country there: not a colour of the map
    assert "too small to see" in legend


def colours() -> dict[str, str]:
    """The fill of each stage on the map, as the site's stylesheet gives it."""
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    fills = {}
    for selectors, fill in re.findall(r"([^{}]+)\{\s*fill:\s*(#[0-9a-f]{6})", css):
        for stage in re.findall(r"\.stage-(\w+)", selectors):
            fills[stage] = fill
    return fills


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_each_phase_is_lighter_than_the_next_so_colour_is_not_needed_to_tell_them_apart():
    """Light to dark as a country advances: told apart in greyscale, hence with any colour
    vision. "Interest" and "formal request" were two blues of nearly the same lightness."""
    fills = colours()
    phases = [fills[phase[0]] for phase in worldmap.PHASES if phase[0] != Stage.ON_HOLD]
    for stage in Stage:
        if stage not in (Stage.ON_HOLD, Stage.WITHDRAWN):
            assert stage.value in fills, f"{stage} has no colour"
    for lighter, darker in zip(phases, phases[1:], strict=False):
        ratio = (luminance(lighter) + 0.05) / (luminance(darker) + 0.05)
        assert ratio >= 1.4, f"{lighter} and {darker} are too close ({ratio:.2f})"


def test_a_countrys_public_entry_shows_its_stage_and_nothing_internal(client, db):
    country = PathfinderCountry.objects.create(
        country="LK", stage="workshop_planned", is_public=True, notes="Call the minister first."
    )
    country.focal_point = factories.PersonFactory(full_name="Nimal Perera")
    country.save()
    page = client.get(country.get_public_url()).content.decode()
    assert "<h1" in page and "Sri Lanka</h1>" in page
    assert "Stage: National workshop planned." in page
    assert re.search(r'<li aria-current="step"[^>]*>.*National workshop planned', page)
    assert 'data-country="LK"' in page  # its map
    assert "Nimal Perera" not in page and "minister" not in page


@pytest.mark.parametrize(
    ("stage", "is_public"), [("interest", False), ("withdrawn", True), ("on_hold", False)]
)
def test_a_country_not_on_the_public_map_has_no_public_entry(client, db, stage, is_public):
    PathfinderCountry.objects.create(country="LK", stage=stage, is_public=is_public)
    assert client.get(reverse("pathfinder_public_detail", args=["LK"])).status_code == 404


def test_the_public_pages_run_a_few_queries_however_many_countries(
    client, db, django_assert_max_num_queries
):
    codes = ["AL", "CL", "FJ", "MG", "MW", "MR", "MX", "MA", "NP", "NG", "LK", "TN", "UG", "VN"]
    PathfinderCountry.objects.bulk_create(
        PathfinderCountry(country=code, stage=stage, is_public=True)
        for code, stage in zip(codes, list(Stage.values) * 2, strict=False)
    )
    with django_assert_max_num_queries(2):
        client.get(reverse("pathfinder_public"))
    with django_assert_max_num_queries(2):
        client.get(reverse("pathfinder_public_detail", args=["AL"]))
