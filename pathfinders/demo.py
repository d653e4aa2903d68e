"""Demo data: the pathfinder pipeline as the report of the 3rd GCG meeting describes it."""

import datetime
import zoneinfo

from coordination.models import Annex

from .models import NationalWorkshop, PathfinderCountry, Stage
from .services import pathfinder_stage_change

REPORTED_AT = datetime.datetime(2018, 11, 28, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))
REPORTED = "Reported at the 3rd GCG meeting (28 November 2018)."

FORMAL_REQUESTS = [
    "AL",
    "CL",
    "FJ",
    "MG",
    "MW",
    "MR",
    "MX",
    "MA",
    "NP",
    "NG",
    "LK",
    "TN",
    "UG",
    "VN",
]
WORKSHOPS_2019 = ["NG", "UG", "AL", "NP", "CL", "LK", "PE", "VN"]


def load(*, coordination: dict, stdout=None) -> None:
    for code in sorted(set(FORMAL_REQUESTS) | set(WORKSHOPS_2019)):
        country, created = PathfinderCountry.objects.get_or_create(
            country=code,
            defaults={"stage": Stage.INTEREST, "is_public": True, "stage_changed_at": REPORTED_AT},
        )
        if not created:
            continue
        pathfinder_stage_change(
            country=country, stage=Stage.INTEREST, at=REPORTED_AT, note=REPORTED, is_first=True
        )
        if code in FORMAL_REQUESTS:
            pathfinder_stage_change(
                country=country, stage=Stage.FORMAL_REQUEST, at=REPORTED_AT, note=REPORTED
            )
        if code == "PE":
            country.notes = (
                "A National Strategic Workshop is planned for 2019, but the report of the 3rd GCG "
                "meeting does not list a formal request from Peru yet."
            )
            country.save(update_fields=["notes"])
        if code in WORKSHOPS_2019:
            NationalWorkshop.objects.create(
                country=country, status=NationalWorkshop.Status.PLANNED, tentative_period="2019"
            )
            if code in FORMAL_REQUESTS:
                pathfinder_stage_change(
                    country=country, stage=Stage.WORKSHOP_PLANNED, at=REPORTED_AT, note=REPORTED
                )
        if code == "MG":
            NationalWorkshop.objects.create(
                country=country,
                title="National Strategy Workshop",
                status=NationalWorkshop.Status.HELD,
                starts_on=datetime.date(2018, 10, 25),
                ends_on=datetime.date(2018, 10, 25),
                city="Madagascar",
                report_annex=Annex.objects.filter(
                    meeting=coordination["meeting"], number=2
                ).first(),
                lessons_learned=(
                    "Presented at the 3rd GCG meeting by Mr Hermann Tandra, Director General for "
                    "Labour and Social Law. Participants discussed the interagency collaboration "
                    "between the Ministry for Development, the Ministry for Cooperation, the "
                    "Ministry for Population as well as National Committees against Child Labour "
                    "and Trafficking."
                ),
            )
            pathfinder_stage_change(
                country=country,
                stage=Stage.WORKSHOP_HELD,
                at=REPORTED_AT,
                note="First pathfinder country to hold a National Strategic Workshop "
                "(25 October 2018). " + REPORTED,
            )
