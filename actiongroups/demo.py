"""Demo data: the five action groups and what the 3rd GCG meeting heard of each."""

import datetime
import zoneinfo

from .models import ActionGroup, Activity
from .services import activity_save

# What the 3rd GCG meeting heard of each group: the work plans as they stood that day.
HEARD_AT = datetime.datetime(2018, 11, 28, 17, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))

# The report's approximate dates as the periods they name; the wording stays on the page
# (Activity.when). “by September 2019” is a deadline without a start, which an activity's
# period cannot hold (an end needs a start): it stays as worded.
WHEN = {
    "July 2018": (datetime.date(2018, 7, 1), datetime.date(2018, 7, 31)),
    "29–30 November 2018": (datetime.date(2018, 11, 29), datetime.date(2018, 11, 30)),
    "early 2019": (datetime.date(2019, 1, 1), datetime.date(2019, 4, 30)),
    "March 2019": (datetime.date(2019, 3, 1), datetime.date(2019, 3, 31)),
    "2019": (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)),
}

SUPPLY_CHAIN = [
    (Activity.Kind.OUTPUT, "G-20 supply chain report", Activity.Status.DONE, "",
     "Developed in collaboration between ILO, OECD and World Bank."),
    (Activity.Kind.RESEARCH, "Research report on Child Labour and Forced Labour in Supply Chains", Activity.Status.UNDERWAY, "", ""),
    (Activity.Kind.OUTPUT, "Concept note", Activity.Status.DONE, "July 2018", "Distributed for consultation in July 2018."),
    (Activity.Kind.PARTNERSHIP, "Child Labour in Global Supply Chains Project", Activity.Status.UNDERWAY, "",
     "New partnership with the Netherlands, launched, in Côte d'Ivoire, Egypt, Malawi, Mali, Nigeria and Uganda."),
    (Activity.Kind.RESEARCH, "Child Labour Mapping and Global Report on Pathfinder Countries", Activity.Status.UNDERWAY,
     "by September 2019", "Funded by the Netherlands; to be completed by September 2019."),
]  # fmt: skip

MIGRATION = [
    (Activity.Kind.WORKSHOP, "First workshop of the Migration Action Group", Activity.Status.PLANNED, "29–30 November 2018",
     "The Group will discuss Terms of Reference and communications strategy and draw up a draft work plan."),
    (Activity.Kind.RESEARCH, "Migrants and their vulnerability to human trafficking, modern slavery and forced labour",
     Activity.Status.DONE, "", "Research paper presented by Walk Free and UNICEF; a basis for the work plan."),
    (Activity.Kind.RESEARCH, "Child Labour Policy Paper", Activity.Status.DONE, "",
     "Research paper presented by Walk Free and UNICEF; a basis for the work plan."),
]  # fmt: skip

RULE_OF_LAW = [
    (Activity.Kind.WORKSHOP, "First meeting of the Action Group", Activity.Status.PLANNED, "early 2019", ""),
    (Activity.Kind.WORKSHOP, "Intersectional high-level panel on equality and human rights, New York",
     Activity.Status.PLANNED, "March 2019", "The Action Group will participate."),
]  # fmt: skip

CONFLICT = [
    (Activity.Kind.GOVERNANCE, "Governance structure and terms of reference", Activity.Status.UNDERWAY, "", "Under discussion."),
    (Activity.Kind.WORK_PLAN, "Work plan", Activity.Status.PLANNED, "2019", "The work plan will be launched in 2019."),
    (Activity.Kind.PARTNERSHIP, "Opportunities to work in Nigeria", Activity.Status.PLANNED, "", "With DFID funding."),
]  # fmt: skip

COMMUNICATIONS = [
    (Activity.Kind.GOVERNANCE, "Communications and engagement focal points", Activity.Status.PLANNED, "",
     "Each stakeholder group nominates a communications and engagement focal point (proposal presented by the ILO)."),
    (Activity.Kind.WORK_PLAN, "Communications strategy", Activity.Status.PLANNED, "",
     "The Action Group is to meet to draft a communications strategy."),
]  # fmt: skip

GROUPS = [
    # group slug, chairs, run by secretariat, status, summary, activities
    ("supply-chains", ["ILO"], False, ActionGroup.Status.ACTIVE,
     "Chaired by the ILO. Works on child labour and forced labour in supply chains.", SUPPLY_CHAIN),
    ("migration", ["IOM"], False, ActionGroup.Status.ACTIVE,
     "Chaired by IOM. Preparing its first workshop, its Terms of Reference, communications strategy and work plan.", MIGRATION),
    ("rule-of-law", [], False, ActionGroup.Status.FORMING,
     "Will hold its first meeting in early 2019.", RULE_OF_LAW),
    ("conflict-humanitarian", [], False, ActionGroup.Status.FORMING,
     "Currently discussing its governance structure and terms of reference.", CONFLICT),
    ("communications", [], True, ActionGroup.Status.FORMING,
     "Communications and engagement focal points of each stakeholder group, run by the Secretariat, to make coordination and collaboration within the Alliance easier and more effective.", COMMUNICATIONS),
]  # fmt: skip


def load(*, coordination: dict, stdout=None) -> None:
    groups, orgs = coordination["groups"], coordination["organisations"]
    for slug, chairs, by_secretariat, status, summary, activities in GROUPS:
        action_group, created = ActionGroup.objects.get_or_create(
            group=groups[slug],
            defaults={"run_by_secretariat": by_secretariat, "status": status, "summary": summary},
        )
        if not created:
            continue
        action_group.chair_organisations.set([orgs[acronym] for acronym in chairs])
        for order, (kind, title, activity_status, when, description) in enumerate(activities, 1):
            starts_on, ends_on = WHEN.get(when, (None, None))
            activity = Activity(
                action_group=action_group,
                order=order,
                kind=kind,
                title=title,
                status=activity_status,
                when=when,
                description=description,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            activity_save(activity=activity, at=HEARD_AT)
