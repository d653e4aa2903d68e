"""Demo data: the pathfinder pipeline as the report of the 3rd GCG meeting describes it."""

import datetime
import uuid
import zoneinfo

from coordination.models import Annex, SubmissionStatus

from .models import InterestSubmission, NationalWorkshop, PathfinderCountry, Stage
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


# Submissions that make the triage flow tryable: illustrative, from an example institution.
EXAMPLE_SUBMISSIONS = [
    # key, country, institution, contact, email, focus, message, status, spam reason
    ("3f9d2a51-8d0e-4c53-9a43-2b1c0e7f0001", "GH", "Example ministry (illustrative)",
     "Example contact", "ghana.demo@example.org", ["focus_child_labour", "focus_forced_labour"],
     "We would like to join Alliance 8.7 as a pathfinder country.",
     SubmissionStatus.NEW, ""),
    ("3f9d2a51-8d0e-4c53-9a43-2b1c0e7f0002", "NP", "Example ministry (illustrative)",
     "Example contact", "nepal.demo@example.org", ["focus_child_labour"],
     "Following our formal request, we send the details of our focal point. (Nepal is already in the pipeline, so this is flagged as a duplicate.)",
     SubmissionStatus.NEW, ""),
    ("3f9d2a51-8d0e-4c53-9a43-2b1c0e7f0003", "US", "Best Watches Ltd", "Win Big", "promo@example.com",
     ["focus_modern_slavery"], "CHEAP WATCHES!!! click here http://example.com",
     SubmissionStatus.SPAM, "honeypot filled"),
]  # fmt: skip


def load(*, coordination: dict, stdout=None) -> None:
    for key, code, institution, contact, email, focus, message, status, spam in EXAMPLE_SUBMISSIONS:
        InterestSubmission.objects.get_or_create(
            submission_key=uuid.UUID(key),
            defaults={
                "country": code,
                "institution": institution,
                "contact_name": contact,
                "email": email,
                "message": message,
                "consent_to_contact": True,
                "status": status,
                "spam_reason": spam,
                "is_illustrative": True,
                "submitted_at": REPORTED_AT + datetime.timedelta(days=7),
                **dict.fromkeys(focus, True),
            },
        )

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
