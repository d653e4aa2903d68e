"""The public map of the pathfinder countries: colours that people with any colour vision tell
apart, a legend, a dot for the countries too small to see, and each country's public entry.
The shapes are one static file, compressed and cached for good; a page only names the
countries it colours, so it stays small and cheap with 200 of them."""

import gzip
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape
from django_countries import countries as country_names
from whitenoise.middleware import WhiteNoiseMiddleware

from pathfinders import services, views, worldmap
from pathfinders.models import PathfinderCountry, Stage
from tests import factories

pytestmark = pytest.mark.django_db


def coloured(page: str) -> dict[str, str]:
    """ISO code → stage of each country the map colours: a `<use>` of its shape in the static
    map file, with its stage's class."""
    map_file = re.escape(static(worldmap.FILE))
    return dict(re.findall(rf'<use href="{map_file}#(\w+)" class="stage-(\w+)"', page))


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
    assert coloured(page) == {  # every one has its shape coloured, the large ones only that
        "LK": "workshop_planned", "FJ": "formal_request", "MX": "interest", "MG": "on_hold"
    }  # fmt: skip


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
    assert coloured(page) == {"LK": "workshop_planned"}  # its map
    assert "Nimal Perera" not in page and "minister" not in page


@pytest.mark.parametrize(
    ("stage", "is_public"), [("interest", False), ("withdrawn", True), ("on_hold", False)]
)
def test_a_country_not_on_the_public_map_has_no_public_entry(client, db, stage, is_public):
    PathfinderCountry.objects.create(country="LK", stage=stage, is_public=is_public)
    assert client.get(reverse("pathfinder_public_detail", args=["LK"])).status_code == 404


@pytest.fixture
def two_hundred(db):
    """200 public countries, every stage, the largest shapes among them (Russia's is 110 KB)."""
    codes = [code for code in sorted(worldmap._paths()) if code in dict(country_names)]
    largest = ["RU", "CA", "US"]
    stages = [stage for stage in Stage.values if stage != Stage.WITHDRAWN]
    PathfinderCountry.objects.bulk_create(
        PathfinderCountry(country=code, stage=stages[i % len(stages)], is_public=True)
        for i, code in enumerate([*largest, *[c for c in codes if c not in largest]][:200])
    )
    return PathfinderCountry.objects.public().order_by("country")


def test_the_public_pages_run_one_query_however_many_countries(
    client, two_hundred, django_assert_num_queries
):
    with django_assert_num_queries(1):
        client.get(reverse("pathfinder_public"))
    with django_assert_num_queries(1):
        client.get(reverse("pathfinder_public_detail", args=["RU"]))


def test_with_200_countries_the_page_names_them_and_stays_small(client, two_hundred):
    """The shapes (878 KB) are in the static map file: with them inline the page was 740 KiB."""
    response = client.get(reverse("pathfinder_public"))
    page = response.content.decode()
    assert coloured(page) == {country.country.code: country.stage for country in two_hundred}
    for country in two_hundred:
        assert f'<a href="{country.get_public_url()}">{escape(country.country.name)}</a>' in page
    assert "<path" not in page
    assert len(response.content) < 80 * 1024, f"{len(response.content) / 1024:.0f} KiB"

    russia = client.get(reverse("pathfinder_public_detail", args=["RU"]))
    assert coloured(russia.content.decode()) == {"RU": two_hundred.get(country="RU").stage}
    assert len(russia.content) < 8 * 1024, f"{len(russia.content) / 1024:.0f} KiB"


def test_the_overview_renders_its_countries_once_until_one_changes(client, two_hundred):
    """Rendering 200 countries was most of the page's time: it is rendered again only when
    what the page shows changes, and then at once, whichever door changed it."""
    views._overview_html.cache_clear()
    overview = "pathfinders/includes/overview.html"

    def rendered() -> bool:
        response = client.get(reverse("pathfinder_public"))
        return overview in [template.name for template in response.templates]

    assert rendered()
    assert not rendered()

    russia = two_hundred.get(country="RU")
    services.pathfinder_stage_change(country=russia, stage=Stage.WORKSHOP_HELD)
    assert rendered()
    page = client.get(reverse("pathfinder_public")).content.decode()
    assert coloured(page)["RU"] == "workshop_held"
    services.pathfinder_set_public(country=russia, is_public=False)
    page = client.get(reverse("pathfinder_public")).content.decode()
    assert "RU" not in coloured(page) and "Russia" not in page
    PathfinderCountry.objects.filter(country="CA").update(stage=Stage.WITHDRAWN)  # a bulk change
    assert "Canada" not in client.get(reverse("pathfinder_public")).content.decode()


@pytest.fixture
def collected(settings, tmp_path):
    """The map file as `collectstatic` leaves it in production (hashed name, compressed copy),
    served by whitenoise as in production."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [
        ("vendor/svg-maps-world", settings.BASE_DIR / "static" / "vendor" / "svg-maps-world")
    ]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return WhiteNoiseMiddleware(get_response=lambda request: HttpResponse(status=404))


def test_the_map_file_is_served_compressed_and_cached_for_good(collected):
    url = worldmap.href()
    assert re.fullmatch(r"/static/vendor/svg-maps-world/world\.[0-9a-f]{12}\.svg", url)
    response = collected(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) >= 365 * 24 * 3600
    body = b"".join(response.streaming_content)
    assert len(body) < 200_000  # 878 KB uncompressed
    assert '<path id="RU" d="' in gzip.decompress(body).decode()
