"""Demo data: the report of the 3rd GCG meeting (Geneva, 28 November 2018), as records.

The records say what the report says, no more. What the demo adds so that a flow can be
tried (a draft's text, comments, a revised draft, a status change) is marked
`is_illustrative`, shown as such on every page, and written by example people of an example
organisation, never by a real one.

Every record is looked up by its natural key before it is created, so loading twice
changes nothing and a database holding other data keeps it untouched.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile

from . import consultations, services
from .checks import DEMO_EMAIL_DOMAIN
from .history import save_with_history
from .models import (
    ActionItem,
    AgendaItem,
    Annex,
    Attendance,
    Comment,
    Constituency,
    Decision,
    Document,
    DocumentVersion,
    Event,
    Group,
    Meeting,
    Membership,
    Organisation,
    Person,
    User,
    secretariat_group,
)

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")

EXAMPLE_ORGANISATION = "Example organisation (illustrative)"

ORGANISATIONS = [
    # name, acronym, kind, country
    ("International Labour Organization", "ILO", Constituency.UN_AGENCY, ""),
    ("Alliance 8.7 Secretariat", "Secretariat", Constituency.OTHER, ""),
    ("Organisation for Economic Co-operation and Development", "OECD", Constituency.OTHER, ""),
    ("World Bank", "World Bank", Constituency.UN_AGENCY, ""),
    ("International Organization for Migration", "IOM", Constituency.UN_AGENCY, ""),
    ("United Nations Children's Fund", "UNICEF", Constituency.UN_AGENCY, ""),
    ("United Nations University", "UNU", Constituency.RESEARCH, ""),
    ("Walk Free", "Walk Free", Constituency.CIVIL_SOCIETY, ""),
    ("International Organisation of Employers", "IOE", Constituency.EMPLOYERS, ""),
    ("International Trade Union Confederation", "ITUC", Constituency.WORKERS, ""),
    ("Government of the Netherlands", "Netherlands", Constituency.GOVERNMENT, "NL"),
    ("Department for International Development (United Kingdom)", "DFID", Constituency.GOVERNMENT, "GB"),
    ("Group of Twenty", "G20", Constituency.OTHER, ""),
    ("Ministry of Civil Service, Administrative Reform, Labour, Employment and Social Laws (Madagascar)", "Ministry of Labour, Madagascar", Constituency.GOVERNMENT, "MG"),
    ("Ministry for Development (Madagascar)", "", Constituency.GOVERNMENT, "MG"),
    ("Ministry for Cooperation (Madagascar)", "", Constituency.GOVERNMENT, "MG"),
    ("Ministry for Population (Madagascar)", "", Constituency.GOVERNMENT, "MG"),
    ("National Committees against Child Labour and Trafficking (Madagascar)", "", Constituency.GOVERNMENT, "MG"),
    # the demo's accounts and illustrative comments belong here, not to a real organisation
    (EXAMPLE_ORGANISATION, "", Constituency.OTHER, ""),
]  # fmt: skip

GROUPS = [
    # slug, name, short name, kind, description
    ("gcg", "Global Coordinating Group", "GCG", Group.Kind.GCG,
     "Governments, UN agencies, workers', employers' and civil-society organisations steering Alliance 8.7."),
    ("supply-chains", "Supply Chain Action Group", "Supply Chain AG", Group.Kind.ACTION_GROUP, ""),
    ("migration", "Migration Action Group", "Migration AG", Group.Kind.ACTION_GROUP, ""),
    ("rule-of-law", "Rule of Law and Governance Action Group", "Rule of Law AG", Group.Kind.ACTION_GROUP, ""),
    ("conflict-humanitarian", "Conflict and Humanitarian Settings Action Group", "Conflict AG", Group.Kind.ACTION_GROUP, ""),
    ("communications", "Communications Action Group", "Communications AG", Group.Kind.ACTION_GROUP,
     "Communications and engagement focal points nominated by each stakeholder group, run by the Secretariat."),
]  # fmt: skip

OBJECTIVE = (
    "Reassess the progress made by the Secretariat, Action Groups and Pathfinder Countries "
    "since the previous meeting of the Global Coordinating Group (GCG) in New York (July 2018) "
    "and approve the Alliance 8.7 Terms of Reference."
)

AGENDA = [
    ("Welcome and progress report from the Chair", """\
Alliance 8.7 has made great progress since the second meeting of the GCG in New York (July 2018). The Chair pointed to the number of countries that have expressed interest in becoming pathfinder countries as evidence of worldwide commitment to and trust in the Alliance. A dozen countries have written to the Secretariat to reaffirm their interest in being pathfinder countries and national workshops are being planned for Nigeria, Uganda, Albania, Nepal, Chile, Sri Lanka, Peru and Vietnam.

The Chair gave a special welcome to the representative from Madagascar, Mr Hyacinth Hermann Tandra from the Ministry of Labour. Madagascar was the first pathfinder country of the Alliance to hold a National Strategic Workshop (October 2018).

The Chair also made reference to the progress made by the several action groups.

He was pleased to announce that discussions are currently underway with the G20 in preparation for the G20 summit.

He also mentioned examples of areas where further work is required:

- Synergy between Alliance 8.7 and Delta 8.7
- Increased knowledge sharing between all the partners, the GCG and the pathfinder countries.
"""),
    ("Terms of Reference", """\
Participants discussed the latest draft of the Terms of Reference for the Alliance and the GCG:

- Representatives from regional groups are to be rotated according to the wishes of the group, if at all.
- Given that the Alliance is one year in now, the word “inaugural” has been removed with regards to the ILO acting as Secretariat. It was agreed that the Secretariat would undergo a periodic review.
- The suggestion to allow for representatives of survivors/victims to be included in the list of partners was proposed and welcomed by the participants.

The Terms of Reference were adopted.
"""),
    ("Update on Action Groups", """\
The **Supply Chain Action Group** (chaired by ILO) has developed or is working on the following:

1. The G-20 supply chain report, developed in collaboration between ILO, OECD and World Bank, the research report on Child Labour and Forced labour in Supply Chains and a concept note which was distributed for consultation in July 2018.
2. The new partnership with the Netherlands to work on Child Labour in Global Supply Chains Project in Côte d'Ivoire, Egypt, Malawi, Mali, Nigeria and Uganda has been launched.
3. The Netherlands-funded Child Labour Mapping and Global Report on Pathfinder Countries which will be completed by September 2019.

The **Migration Action Group** (chaired by IOM) discussed preparations for its first workshop on 29th-30th November 2018, during which the Group will discuss Terms of Reference and communications strategy and draw up a draft work plan. Walk Free and UNICEF will present their findings from two research papers that were used as a basis for the work plan. These research papers are:

1. Migrants and their vulnerability to human trafficking, modern slavery and forced labour
2. Child Labour Policy Paper

The **Rule of law and Governance Action Group** will hold its first meeting in early 2019.

In March 2019, the Action Group will participate in an intersectional high-level panel on equality and human rights in New York.

The **Conflict and Humanitarian Settings Action Group** is currently discussing its governance structure and terms of reference and informed the participants of the following:

- The work plan will be launched in 2019
- There are opportunities to work in Nigeria with DFID funding

Participants requested further consultation and knowledge sharing on Action Group activities with enough time for partners to be able to attend workshops and provide feedback on concept notes.

Now that the Terms of Reference have been adopted and that the Alliance is now a year in, the communications strategy should be priority in order to ensure full collaboration between GCG members. The Secretariat accepted the suggestions made in this regard and committed to establishing a more systematic communications strategy to inform members of current and upcoming activities.

The broader discussion regarding the criteria that must be met to attribute the Alliance brand to a certain project or research paper was mentioned and is part of an ongoing discussion.

Civil Society also proposed that the chairpersonship for action groups be open to non-UN agencies.
"""),
    ("Update on Pathfinder Countries and Pathfinder Country Note", """\
The Secretariat gave an update on Pathfinder Countries and what the criteria are for a country to become a Pathfinder Country. The action points presented were:

- Formal requests received by Albania, Chile, Fiji, Madagascar, Malawi, Mauritania, Mexico, Morocco, Nepal, Nigeria, Sri Lanka, Tunisia, Uganda and Vietnam.
- Madagascar is the first Pathfinder Country to have organised a workshop which took place on 25th October 2018.
- National Strategic Workshops are being planned for the following countries in 2019: Nigeria, Uganda, Albania, Nepal, Chile, Sri Lanka, Peru and Vietnam.

The Secretariat also made the following points in relation to the pathfinder strategy:

- There needs to be buy-in from UN Resident Coordinators;
- Governments can choose a focus area if they wish, rather than covering both child labour and forced labour;
- A pathfinder focal point needs to be nominated by the government;
- We must ensure government ownership of the projects carried out;
- The pathfinder concept is new and there needs to be a network of support from all UN agencies, especially in countries where the ILO is not that active;
- Resource mobilisation is key, both on the part of the government and partners of the Alliance;

The IOE and ITUC asked to be informed of any initiatives undertaken by other UN agencies to ensure social dialogue and stakeholder inclusion.

Participants again called for a more systematic approach to communications within the Alliance, to facilitate the pathfinder strategy and ensure its success, while also noting that the regional diversity in the current list of countries was encouraging.

**Pathfinder Country Guidance Note Discussion**

The Pathfinder Country Guidance Note was discussed by the participants and a few changes were suggested. A revised draft will be shared by the Secretariat. The Chair allowed for a two-week period during which GCG members could provide their inputs before the Guidance Note would be finalised.
"""),
    ("Madagascar: Lessons from the National Strategy Workshop", """\
The National Strategy Workshop that took place in Madagascar on 25th October 2018 was presented by Mr Hermann Tandra, Director General for Labour and Social Law, Ministry of Civil Service, Administrative Reform, Labour, Employment and Social Laws. The workshop report sent to the Secretariat has been attached to this Meeting Report (Annex II).

Following the presentation, participants discussed the interagency collaboration between the Ministry for Development, the Ministry for Cooperation, the Ministry for Population as well as National Committees against Child Labour and Trafficking.
"""),
    ("Progress on Delta 8.7 Knowledge Platform", """\
The UN University was unable to attend the meeting and sent a video presentation on the Delta 8.7 website for the group. A link to the video can be found here.
"""),
    ("Progress on the Alliance 8.7 website", """\
The ILO gave a presentation on the Alliance website focusing on the way interested parties can subscribe to the mailing list or express willingness to join the Alliance as a partner/pathfinder country.

A brief overview was given on the areas on the website that are currently lacking content. Participants were invited to the communications meeting later that afternoon to discuss in more detail. A side report on this meeting is attached (Annex III).
"""),
    ("Communications", """\
The ILO presented the proposal for each stakeholder group to nominate a communications and engagement focal point in order to facilitate knowledge and information sharing and to make coordination and collaboration within the Alliance easier and more effective. These focal points would form part of a Communications Action Group run by the Secretariat.
"""),
    ("Upcoming events and work plan for 2019", """\
The following upcoming events were presented to the group:

- The NGO Forum in Bangkok 3rd – 5th December, during which it is expected that a Civil Society Statement of Principles and Goals to Advance SDG 8.7 will be endorsed, allowing for further engagement with Alliance 8.7 and other partners.
- Expert group meeting on SDG 8 in April 2019
- High Level Political Forum in July 2019.
"""),
]  # fmt: skip

ILLUSTRATIVE_TEXT = (
    "Illustrative example: the report does not give this text, nor the day it was shared; "
    "the demo pieces it together from what the report says."
)

HELD_BY_SECRETARIAT = (
    "This demo keeps the provisions the report of the 3rd GCG meeting mentions; "
    "the full text is held by the Secretariat."
)

TERMS_OF_REFERENCE_TEXT = """\
# Terms of Reference of Alliance 8.7 and its Global Coordinating Group

## Secretariat

1. The ILO acts as Secretariat of the Alliance.
2. The Secretariat undergoes a periodic review.

## Global Coordinating Group

3. Representatives from regional groups are rotated according to the wishes of the group, if at all.

## Partners

4. Representatives of survivors and victims may be included in the list of partners.
"""

TERMS_OF_REFERENCE_CHANGES = """\
Changes agreed at the 3rd GCG meeting (28 November 2018):

- Representatives from regional groups are rotated according to the wishes of the group, if at all.
- The word “inaugural” is removed with regard to the ILO acting as Secretariat; the Secretariat undergoes a periodic review.
- Representatives of survivors/victims may be included in the list of partners.
"""

GUIDANCE_NOTE_TEXT = """\
# Pathfinder Country Guidance Note

## Becoming a pathfinder country

1. A government writes to the Secretariat with a formal request.
2. A pathfinder focal point is nominated by the government.
3. Governments can choose a focus area if they wish, rather than covering both child labour and forced labour.

## Support

4. There needs to be buy-in from UN Resident Coordinators.
5. Government ownership of the projects carried out is ensured.
6. A network of support from all UN agencies is needed, especially in countries where the ILO is not that active.
7. Resource mobilisation is key, both on the part of the government and partners of the Alliance.
"""

SUPPLY_CHAIN_CONCEPT_NOTE_TEXT = """\
# Supply Chain Action Group – concept note

1. The G-20 supply chain report, developed by ILO, OECD and World Bank.
2. The research report on Child Labour and Forced Labour in Supply Chains.
"""

EVENTS = [
    # title, city, country, starts_on, ends_on, window, dates note, description, notify days
    ("NGO Forum", "Bangkok", "TH", datetime.date(2018, 12, 3), datetime.date(2018, 12, 5), None, "",
     "A Civil Society Statement of Principles and Goals to Advance SDG 8.7 is expected to be endorsed, allowing for further engagement with Alliance 8.7 and other partners.", 30),
    ("Expert group meeting on SDG 8", "", "", None, None, (datetime.date(2019, 4, 1), datetime.date(2019, 4, 30)), "April 2019", "", 60),
    ("High Level Political Forum", "", "", None, None, (datetime.date(2019, 7, 1), datetime.date(2019, 7, 31)), "July 2019", "", 60),
]  # fmt: skip

DEMO_ACCOUNTS = [
    # email local part, full name, password, staff, what they show: example people of the
    # example organisation, so that no real person or organisation is put in the demo's mouth
    (
        "secretariat",
        "Example secretariat officer",
        "demo-secretariat-87",
        True,
        "secretariat officer (staff, admin)",
    ),
    ("member", "Example member", "demo-member-87", False, "GCG member (civil society)"),
    (
        "chair",
        "Example chair",
        "demo-chair-87",
        False,
        "Supply Chain Action Group chair, not in the GCG",
    ),
]


NO_OWNER_NAMED = "The report names no owner."

ACTION_ITEMS = [
    # key, order, title, details (the report's words), agenda item (None: section X, which
    # follows the agenda), owner organisations
    # (acronyms), owner groups (slugs), days after the action it follows, trigger, follows,
    # fixed due date.
    # Section X of the report, in its order:
    ("feedback", 1, "Provide feedback on the Pathfinder Country Guidance Note",
     "Participants have two weeks after receipt of the revised draft to provide their feedback on the Pathfinder Country Guidance Note.",
     None, [], ["gcg"], 14, "receipt of the revised draft", "share", None),
    ("strategy", 2, "Meet to draft a communications strategy",
     "Communications Action Group to meet to draft a communications strategy.",
     None, [], ["communications"], None, "", None, None),
    ("notifications", 3, "Send notifications of upcoming events further in advance",
     "Notifications regarding upcoming events will be sent out further in advance. " + NO_OWNER_NAMED,
     None, [], [], None, "", None, None),
    ("fourth-meeting", 4, "Hold the 4th GCG meeting in New York (March or April 2019, tbc)",
     "The 4th GCG meeting will be held in New York in March or April 2019, tbc. " + NO_OWNER_NAMED,
     None, [], [], None, "", None, datetime.date(2019, 4, 30)),
    # Commitments of the minutes that section X does not repeat:
    ("share", 5, "Share the revised draft of the Pathfinder Country Guidance Note",
     "A revised draft will be shared by the Secretariat.",
     4, ["Secretariat"], [], None, "", None, None),
    ("finalise", 6, "Finalise the Pathfinder Country Guidance Note",
     "The Chair allowed for a two-week period during which GCG members could provide their inputs before the Guidance Note would be finalised. " + NO_OWNER_NAMED,
     4, [], [], None, "", None, None),
    ("communications-strategy", 7, "Establish a more systematic communications strategy",
     "The Secretariat accepted the suggestions made in this regard and committed to establishing a more systematic communications strategy to inform members of current and upcoming activities.",
     3, ["Secretariat"], [], None, "", None, None),
    ("consultation-time", 8, "Allow more consultation time on Action Group activities",
     "Participants requested further consultation and knowledge sharing on Action Group activities with enough time for partners to be able to attend workshops and provide feedback on concept notes. " + NO_OWNER_NAMED,
     3, [], [], None, "", None, None),
    ("inform-ioe-ituc", 9, "Inform the IOE and ITUC of initiatives undertaken by other UN agencies",
     "The IOE and ITUC asked to be informed of any initiatives undertaken by other UN agencies to ensure social dialogue and stakeholder inclusion. " + NO_OWNER_NAMED,
     4, [], [], None, "", None, None),
]  # fmt: skip


def _load_action_items(*, meeting, items, orgs, groups, at) -> dict:
    """The action points as the report gives them: its owners only (none where it names
    none), its deadlines as worded. The Guidance Note's two weeks start when the
    Secretariat's sharing of the revised draft is marked done."""
    loaded = {}
    # an item is created after the one it follows
    rows = sorted(ACTION_ITEMS, key=lambda row: row[9] is not None)
    for key, order, title, details, agenda, owner_orgs, owner_groups, days, trigger, follows, due_on in rows:  # fmt: skip
        item, created = ActionItem.objects.get_or_create(
            meeting=meeting,
            title=title,
            defaults={
                "order": order,
                "details": details,
                "agenda_item": items[agenda] if agenda else None,
                "due_days_after_trigger": days,
                "trigger": trigger,
                "trigger_action": loaded[follows] if follows else None,
                "due_on": due_on,
                "created_at": at,
            },
        )
        if created:
            item.full_clean()
            item.owner_organisations.set([orgs[acronym] for acronym in owner_orgs])
            item.owner_groups.set([groups[slug] for slug in owner_groups])
        loaded[key] = item
    return loaded


def load(*, with_accounts: bool, stdout=None) -> dict:
    """Loads the coordination part of the demo; returns the records other apps build on."""
    orgs = {}
    for name, acronym, kind, country in ORGANISATIONS:
        orgs[acronym or name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "kind": kind, "country": country}
        )

    groups = {}
    for slug, name, short_name, kind, description in GROUPS:
        groups[slug], _ = Group.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "description": description,
            },
        )
    gcg = groups["gcg"]

    tandra, _ = Person.objects.get_or_create(
        full_name="Hyacinth Hermann Tandra",
        organisation=orgs["Ministry of Labour, Madagascar"],
        defaults={
            "honorific": "Mr",
            "position": "Director General for Labour and Social Law",
        },
    )

    second, _ = Meeting.objects.get_or_create(
        group=gcg,
        number=2,
        defaults={
            "city": "New York",
            "country": "US",
            "time_zone": "America/New_York",
            "window_starts_on": datetime.date(2018, 7, 1),
            "window_ends_on": datetime.date(2018, 7, 31),
            "dates_note": "July 2018",
            "status": Meeting.Status.HELD,
        },
    )
    third, created = Meeting.objects.get_or_create(
        group=gcg,
        number=3,
        defaults={
            "city": "Geneva",
            "country": "CH",
            "time_zone": "Europe/Zurich",
            "starts_on": datetime.date(2018, 11, 28),
            "ends_on": datetime.date(2018, 11, 28),
            "objective": OBJECTIVE,
            "participants_note": "See attached list. (Annex I)",
            "status": Meeting.Status.HELD,
        },
    )
    fourth, _ = Meeting.objects.get_or_create(
        group=gcg,
        number=4,
        defaults={
            "city": "New York",
            "country": "US",
            "time_zone": "America/New_York",
            "window_starts_on": datetime.date(2019, 3, 1),
            "window_ends_on": datetime.date(2019, 4, 30),
            "dates_note": "March or April 2019, tbc",
            "status": Meeting.Status.PLANNED,
        },
    )

    items = {}
    for order, (title, minutes) in enumerate(AGENDA, start=1):
        items[order], _ = AgendaItem.objects.get_or_create(
            meeting=third, order=order, defaults={"title": title, "minutes": minutes}
        )

    for person, organisation, status, note in [
        (tandra, orgs["Ministry of Labour, Madagascar"], Attendance.Status.PRESENT,
         "Representative of Madagascar; presented item V"),
        (None, orgs["Secretariat"], Attendance.Status.PRESENT, "Secretariat"),
        (None, orgs["ILO"], Attendance.Status.PRESENT, "Presented items VII and VIII"),
        (None, orgs["IOE"], Attendance.Status.PRESENT, ""),
        (None, orgs["ITUC"], Attendance.Status.PRESENT, ""),
        (None, orgs["UNU"], Attendance.Status.APOLOGIES,
         "Unable to attend; sent a video presentation on the Delta 8.7 website"),
    ]:  # fmt: skip
        Attendance.objects.get_or_create(
            meeting=third,
            person=person,
            organisation=organisation,
            defaults={"status": status, "note": note},
        )

    adopted_at = datetime.datetime(2018, 11, 28, 17, 0, tzinfo=GENEVA)
    discussed_at = datetime.datetime(2018, 11, 28, 12, 0, tzinfo=GENEVA)
    guidance_note, _ = Document.objects.get_or_create(
        owner_group=gcg,
        title="Pathfinder Country Guidance Note",
        defaults={
            "kind": Document.Kind.GUIDANCE_NOTE,
            "created_at": discussed_at,
            "description": HELD_BY_SECRETARIAT,
        },
    )
    DocumentVersion.objects.get_or_create(
        document=guidance_note,
        number=1,
        defaults={
            "text": GUIDANCE_NOTE_TEXT,
            "change_summary": "Draft discussed at the 3rd GCG meeting; a few changes were suggested."
            "\n\n" + ILLUSTRATIVE_TEXT,
            # the report does not give the note's text: the one here is pieced together
            "is_illustrative": True,
            "status": DocumentVersion.Status.SUPERSEDED,
            "created_at": discussed_at,
            "shared_at": discussed_at,
        },
    )
    concept_note_at = datetime.datetime(2018, 7, 15, 12, 0, tzinfo=GENEVA)
    concept_note, _ = Document.objects.get_or_create(
        owner_group=groups["supply-chains"],
        title="Supply Chain Action Group concept note",
        defaults={
            "kind": Document.Kind.CONCEPT_NOTE,
            "created_at": concept_note_at,
            "description": HELD_BY_SECRETARIAT,
        },
    )
    concept_note_v1, created = DocumentVersion.objects.get_or_create(
        document=concept_note,
        number=1,
        defaults={
            "text": SUPPLY_CHAIN_CONCEPT_NOTE_TEXT,
            "change_summary": "Distributed for consultation in July 2018.\n\n" + ILLUSTRATIVE_TEXT,
            # the report gives the month, not the day nor the text
            "is_illustrative": True,
            "status": DocumentVersion.Status.SHARED,
            "created_at": concept_note_at,
            "shared_at": concept_note_at,
        },
    )
    if created:
        consultations.consultation_open(
            version=concept_note_v1,
            audience=groups["supply-chains"],
            opens_at=concept_note_at,
            closes_at=consultations.default_closes_at(concept_note_at),
        )

    action_items = _load_action_items(
        meeting=third, items=items, orgs=orgs, groups=groups, at=adopted_at
    )
    _load_papers(
        gcg=gcg,
        orgs=orgs,
        meeting=third,
        items=items,
        guidance_note=guidance_note,
        share=action_items["share"],
    )

    annexes = {}
    for number, title, agenda_item in [
        (1, "List of participants", None),
        (2, "Report of the National Strategy Workshop in Madagascar (25 October 2018)", items[5]),
        (3, "Side report on the communications meeting", items[7]),
    ]:
        annex, created = Annex.objects.get_or_create(
            meeting=third, number=number, defaults={"title": title, "agenda_item": agenda_item}
        )
        if created:
            annex.file.save(
                f"gcg3-annex-{number}.pdf",
                ContentFile(placeholder_pdf(f"Annex {number} - {title}")),
                save=True,
            )
        annexes[number] = annex

    for title, city, country, starts_on, ends_on, window, note, description, days in EVENTS:
        event, created = Event.objects.get_or_create(
            title=title,
            presented_at=third,
            defaults={
                "city": city,
                "country": country,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "window_starts_on": window[0] if window else None,
                "window_ends_on": window[1] if window else None,
                "dates_note": note,
                "description": description,
                "notify_days_before": days,
            },
        )
        if created:
            event.notify_groups.set([gcg])

    accounts = []
    if with_accounts:
        accounts = _load_accounts(orgs=orgs, groups=groups)
    return {
        "organisations": orgs,
        "groups": groups,
        "meeting": third,
        "annexes": annexes,
        "people": {"tandra": tandra},
        "accounts": accounts,
    }


TERMS_OF_REFERENCE_DRAFT = """\
# Terms of Reference of Alliance 8.7 and its Global Coordinating Group

## Secretariat

1. The ILO acts as the inaugural Secretariat of the Alliance.

## Global Coordinating Group

2. Regional groups are represented in the Global Coordinating Group.

## Partners

3. Partners are governments, UN agencies, workers' and employers' organisations and civil society organisations.
"""

GUIDANCE_NOTE_REVISED = GUIDANCE_NOTE_TEXT.replace(
    "## Support\n",
    "## Support\n\n"
    "*Illustrative revision: the report does not say which changes were suggested.*\n",
)

# Example people of an example organisation: the report names no one who commented in
# writing, so the demo's comments are illustrative and attributed to no real organisation.
COMMENTERS = [
    # key, full name
    ("a", "Example member A"),
    ("b", "Example member B"),
    ("c", "Example member C"),
]

TOR_COMMENTS = [
    # commenter, paragraph of the draft, comment, disposition, reply, paragraph of the adopted text
    ("a", "2",
     "Representatives from regional groups should be rotated according to the wishes of the group, if at all.",
     Comment.Disposition.ACCEPTED,
     "Representatives are rotated according to the wishes of the group, if at all.",
     "3"),
    ("b", "1",
     "The word “inaugural” could be removed, and the Secretariat could undergo a periodic review.",
     Comment.Disposition.ACCEPTED,
     "“Inaugural” is removed, and the Secretariat undergoes a periodic review.",
     "2"),
    ("c", "3",
     "Representatives of survivors/victims could be included in the list of partners.",
     Comment.Disposition.ACCEPTED,
     "Representatives of survivors and victims may be included in the list of partners.",
     "4"),
]  # fmt: skip

ILLUSTRATIVE_DRAFT = (
    "Illustrative example: the report says that participants discussed the latest draft, "
    "not its text nor when it was shared; the demo opens a comment window on it so that "
    "the consultation can be tried."
)
ILLUSTRATIVE_SHARING = (
    "Illustrative example: the demo records the revised draft as shared when it loads, "
    "so that the two weeks can be tried."
)


def _illustrative(*records) -> None:
    """Marks what the demo added to make a flow tryable; the pages show it as such, and the
    records' history says so too (a save, not a bare update)."""
    for record in records:
        record.is_illustrative = True
        save_with_history(record, ["is_illustrative"])


def _load_papers(*, gcg, orgs, meeting, items, guidance_note, share) -> None:
    """The Terms of Reference adopted (a record), the comments that led there (illustrative),
    and the Guidance Note's revised draft shared (illustrative: the report says it will be)."""
    commenters = {}
    for key, full_name in COMMENTERS:
        person, _ = Person.objects.get_or_create(
            full_name=full_name, organisation=orgs[EXAMPLE_ORGANISATION]
        )
        Membership.objects.get_or_create(
            person=person, group=gcg, defaults={"constituency": Constituency.OTHER}
        )
        commenters[key] = person

    draft_at = datetime.datetime(2018, 11, 1, 9, 0, tzinfo=GENEVA)
    adopted_at = datetime.datetime(2018, 11, 28, 17, 0, tzinfo=GENEVA)
    tor, _ = Document.objects.get_or_create(
        owner_group=gcg,
        title="Terms of Reference of Alliance 8.7 and the Global Coordinating Group",
        defaults={
            "kind": Document.Kind.TERMS_OF_REFERENCE,
            "created_at": draft_at,
            "description": HELD_BY_SECRETARIAT,
        },
    )
    if not tor.versions.exists():
        draft = consultations.version_publish(
            document=tor,
            text=TERMS_OF_REFERENCE_DRAFT,
            change_summary="Latest draft, discussed at the 3rd GCG meeting.\n\n"
            + ILLUSTRATIVE_DRAFT,
            at=draft_at,
        )
        consultation = consultations.consultation_open(
            version=draft, audience=gcg, opens_at=draft_at
        )
        submitted = [
            consultations.comment_submit(
                consultation=consultation,
                author=commenters[key],
                paragraph=paragraph,
                text=text,
                at=draft_at + datetime.timedelta(days=3),
            )
            for key, paragraph, text, *_disposal in TOR_COMMENTS
        ]
        _illustrative(draft, *submitted)
        adopted = consultations.version_publish(
            document=tor,
            text=TERMS_OF_REFERENCE_TEXT,
            change_summary=TERMS_OF_REFERENCE_CHANGES,
            at=adopted_at,
        )
        for comment, (*_submission, disposition, reply, answered) in zip(
            submitted, TOR_COMMENTS, strict=True
        ):
            consultations.comment_dispose(
                comment=comment,
                disposition=disposition,
                reply=reply,
                answered_in_paragraph=answered,
                by=None,
                at=adopted_at,
            )
        consultations.dispositions_publish(consultation=consultation)
        decision = Decision.objects.create(
            meeting=meeting, agenda_item=items[2], text="The Terms of Reference were adopted."
        )
        consultations.version_adopt(version=adopted, decision=decision)

    if not guidance_note.versions.filter(number=2).exists():
        revised = consultations.version_publish(
            document=guidance_note,
            text=GUIDANCE_NOTE_REVISED,
            change_summary="Revised draft, shared by the Secretariat after the 3rd GCG meeting. "
            "Participants have two weeks after receipt to provide their feedback.\n\n"
            + ILLUSTRATIVE_SHARING,
        )
        _illustrative(revised)
        # Shared when the demo is loaded, so that its two weeks are open to try: the
        # Secretariat's action is done, which starts the clock of the feedback.
        consultations.consultation_open(version=revised, audience=gcg)
        services.action_item_set_status(
            action_item=share, status=ActionItem.Status.DONE, by=None, note=ILLUSTRATIVE_SHARING
        )
        _illustrative(*share.status_changes.all())


def _load_accounts(*, orgs, groups) -> list[tuple[str, str, str]]:
    """One account per role, each with a printed password: only ever while DEBUG is on."""
    assert settings.DEBUG, "demo accounts exist only while DEBUG is on"
    printed = []
    for local, full_name, password, staff, role in DEMO_ACCOUNTS:
        email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        first, _sep, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        if local == "secretariat":
            # the site's secretariat powers come from the group's permission (staff and
            # superuser status give the admin)
            user.groups.add(secretariat_group())
        person, _ = Person.objects.get_or_create(
            email=email,
            defaults={
                "full_name": full_name,
                "organisation": orgs[EXAMPLE_ORGANISATION],
                "user": user,
            },
        )
        if local == "secretariat":
            Membership.objects.get_or_create(
                person=person, group=groups["gcg"], defaults={"role": Membership.Role.SECRETARIAT}
            )
        elif local == "member":
            Membership.objects.get_or_create(
                person=person,
                group=groups["gcg"],
                defaults={
                    "role": Membership.Role.MEMBER,
                    "constituency": Constituency.CIVIL_SOCIETY,
                },
            )
        else:
            Membership.objects.get_or_create(
                person=person,
                group=groups["supply-chains"],
                defaults={"role": Membership.Role.CHAIR, "constituency": Constituency.UN_AGENCY},
            )
        printed.append((email, password, role))
    return printed


def placeholder_pdf(text: str) -> bytes:
    """A one-page PDF standing in for an annex whose original the Secretariat holds."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    note = "Placeholder: the original annex is held by the Alliance 8.7 Secretariat."
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj 0 -24 Td /F1 11 Tf ({note}) Tj ET".encode(
        "latin-1"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
