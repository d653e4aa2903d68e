"""The pathfinder pipeline: stages and their timeline, the public page and the board."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_countries import countries as all_countries

from pathfinders.models import InterestSubmission, NationalWorkshop, PathfinderCountry

pytestmark = pytest.mark.django_db


def test_stage_changes_from_the_site_are_timestamped_attributed_and_may_go_back(
    client, secretariat
):
    country = PathfinderCountry.objects.create(country="PE", stage="interest")
    client.force_login(secretariat)
    url = reverse("pathfinder_stage", args=["PE"])
    client.post(url, {"stage": "formal_request", "note": "Letter of 3 March", "is_public": "on"})
    client.post(url, {"stage": "interest", "note": "Letter withdrawn", "is_public": "on"})
    country.refresh_from_db()
    assert country.is_public
    changes = list(
        country.stage_changes.values_list("from_stage", "to_stage", "changed_by", "note")
    )
    assert changes == [
        ("interest", "formal_request", secretariat.pk, "Letter of 3 March"),
        ("formal_request", "interest", secretariat.pk, "Letter withdrawn"),
    ]
    page = client.get(country.get_absolute_url()).content.decode()
    assert "Letter withdrawn" in page and "(from Formal request received)" in page


def test_members_cannot_move_stages(client, gcg_member):
    PathfinderCountry.objects.create(country="PE", stage="interest")
    client.force_login(gcg_member)
    response = client.post(reverse("pathfinder_stage", args=["PE"]), {"stage": "roadmap_adopted"})
    assert response.status_code == 403
    assert PathfinderCountry.objects.get().stage == "interest"


def test_the_public_page_shows_only_what_is_public(client, demo):
    secret = PathfinderCountry.objects.create(
        country="GH", stage="formal_request", is_public=False, notes="Confidential talks"
    )
    page = client.get(reverse("pathfinder_public")).content.decode()
    assert "Madagascar" in page and "Workshop held" in page
    assert '.svg#MG" class="stage-workshop_held"' in page  # on the map
    assert secret.country.name not in page
    assert "Confidential talks" not in page
    assert "Tandra" not in page  # people never appear
    assert "Hyacinth" not in page
    assert "focal point" not in page.lower()


def test_the_board_counts_by_stage_region_and_quarter_and_exports(client, demo):
    NationalWorkshop.objects.create(
        country=PathfinderCountry.objects.get(country="PE"),
        status="planned",
        starts_on=datetime.date(2019, 5, 14),
    )
    # Half past midnight in Geneva, still the day before in UTC.
    PathfinderCountry.objects.filter(country="MG").update(
        stage_changed_at=datetime.datetime(2019, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    client.force_login(demo["secretariat"])
    page = client.get(reverse("pathfinder_board")).content.decode()
    assert "National workshop planned" in page and "Africa" in page
    assert "2019 Q2: 1" in page
    assert "2019: 8" in page
    response = client.get(reverse("pathfinder_board_csv"))
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Country", "ISO code", "Region", "Stage"]
    madagascar = next(r for r in rows if r[1] == "MG")
    assert madagascar[2:5] == ["Africa", "Workshop held", "2019-03-02"]
    assert madagascar[9] == "1"  # workshops held
    xlsx = client.get(reverse("pathfinder_board_xlsx"))
    assert xlsx.status_code == 200


def test_the_demo_has_a_triage_queue_with_a_duplicate_and_a_spam(demo):
    assert InterestSubmission.objects.filter(status="new").count() == 2
    assert InterestSubmission.objects.filter(status="spam").count() == 1
    nepal = InterestSubmission.objects.get(country="NP")
    assert PathfinderCountry.objects.filter(country=nepal.country).exists()


def test_board_and_public_page_queries_do_not_grow_with_200_countries(client, secretariat):
    codes = [code for code, _name in all_countries][:200]

    def add(batch):
        PathfinderCountry.objects.bulk_create(
            PathfinderCountry(country=code, stage="formal_request", is_public=True)
            for code in batch
        )
        countries = list(PathfinderCountry.objects.filter(country__in=batch))
        NationalWorkshop.objects.bulk_create(
            NationalWorkshop(country=c, tentative_period="2027") for c in countries
        )
        InterestSubmission.objects.bulk_create(
            InterestSubmission(
                country=c.country, institution="M", contact_name="C", email="c@example.org"
            )
            for c in countries
            for _ in range(10)
        )

    def measure():
        counts = {}
        for name, url, user in [
            ("public", reverse("pathfinder_public"), None),
            ("board", reverse("pathfinder_board"), secretariat),
            ("triage", reverse("pathfinder_triage"), secretariat),
            ("list", reverse("pathfinder_list"), secretariat),
        ]:
            client.logout()
            if user:
                client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name] = len(queries)
        return counts

    add(codes[:5])
    few = measure()
    add(codes[5:])
    assert InterestSubmission.objects.count() == 2000
    many = measure()
    assert many == few
    assert max(many.values()) <= 8, many
