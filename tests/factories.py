import datetime

import factory
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.contenttypes.models import ContentType
from django_countries import countries

from actiongroups.models import ActionGroup, PartnerApplication
from coordination import models
from pathfinders.models import InterestSubmission, NationalWorkshop, PathfinderCountry


def every_400_days(n: int) -> datetime.datetime:
    """Spread over the years, as ten years of records are: two in a row never share a year."""
    return datetime.datetime(2018, 1, 1, 9, tzinfo=datetime.UTC) + datetime.timedelta(days=400 * n)


def country_code(n: int) -> str:
    return list(countries)[n % len(countries)].code


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("correct horse battery staple")


class PermissionGroupFactory(factory.django.DjangoModelFactory):
    """A group of admin permissions (“Secretariat”), not a group of people."""

    class Meta:
        model = PermissionGroup

    name = factory.Sequence(lambda n: f"Permissions {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = models.Constituency.CIVIL_SOCIETY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Group
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Group {n}")
    short_name = factory.Sequence(lambda n: f"G{n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = models.Group.Kind.ACTION_GROUP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    group = factory.SubFactory(GroupFactory)
    number = factory.Sequence(lambda n: n + 1)
    city = "Geneva"
    # Held in 2018 before December, the month the reminders' tests live in, however many
    # meetings a run made before (a day each, again from 1 January after 29 November).
    starts_on = factory.Sequence(
        lambda n: datetime.date(2018, 1, 1) + datetime.timedelta(days=n % 333)
    )
    ends_on = factory.SelfAttribute("starts_on")
    status = models.Meeting.Status.HELD
    objective = "Review progress."


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    minutes = "Participants discussed the item."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionItem

    title = factory.Sequence(lambda n: f"Action item {n}")
    meeting = factory.SubFactory(MeetingFactory)
    due_on = datetime.date(2030, 1, 1)


class ActionItemStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionItemStatusChange

    action_item = factory.SubFactory(ActionItemFactory)
    from_status = models.ActionItem.Status.OPEN
    to_status = models.ActionItem.Status.IN_PROGRESS
    changed_by = factory.SubFactory(UserFactory)
    note = "Under way."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"The group decided point {n}.")


class AnnexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Annex

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Annex {n}")
    url = "https://example.org/annex.pdf"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    title = factory.Sequence(lambda n: f"Event {n}")
    city = "Geneva"
    starts_on = factory.Sequence(lambda n: every_400_days(n).date())


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    title = factory.Sequence(lambda n: f"Document {n}")
    kind = models.Document.Kind.CONCEPT_NOTE
    owner_group = factory.SubFactory(GroupFactory)


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "1. First paragraph.\n\n2. Second paragraph."


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consultation

    version = factory.SubFactory(
        DocumentVersionFactory, status=models.DocumentVersion.Status.SHARED
    )
    audience = factory.SubFactory(GroupFactory)
    opens_at = factory.Sequence(every_400_days)
    closes_at = factory.LazyAttribute(lambda c: c.opens_at + datetime.timedelta(days=14))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Comment

    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory(PersonFactory)
    paragraph = "1"
    text = factory.Sequence(lambda n: f"Comment {n} on the first paragraph.")


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Reminder

    kind = "action_item_due"
    content_type = factory.LazyFunction(
        lambda: ContentType.objects.get_for_model(models.ActionItem)
    )
    object_id = factory.Sequence(lambda n: n + 1)
    recipient = factory.SubFactory(PersonFactory)
    milestone = "due"
    due_at = factory.Sequence(every_400_days)


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OutboundEmail

    kind = "invitation"
    to = factory.Sequence(lambda n: [f"recipient{n}@example.org"])
    subject = factory.Sequence(lambda n: f"Message {n}")
    text = "Hello."
    created_at = factory.Sequence(every_400_days)


class PathfinderCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathfinderCountry

    country = factory.Sequence(country_code)


class NationalWorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalWorkshop

    country = factory.SubFactory(PathfinderCountryFactory)
    tentative_period = "2019"
    city = "Capital"


class InterestSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestSubmission

    country = factory.Sequence(country_code)
    institution = factory.Sequence(lambda n: f"Ministry of Labour {n}")
    contact_name = "Ana Pérez"
    email = factory.Sequence(lambda n: f"ministry{n}@example.org")
    submitted_at = factory.Sequence(every_400_days)


class ActionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionGroup

    group = factory.SubFactory(GroupFactory)


class PartnerApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerApplication

    organisation_name = factory.Sequence(lambda n: f"Applicant {n}")
    kind = models.Constituency.CIVIL_SOCIETY
    country = factory.Sequence(country_code)
    contact_name = "Sam Okafor"
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    commitment = "We commit to the goals of the Alliance."
    submitted_at = factory.Sequence(every_400_days)


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAttempt

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    ip_address = "192.0.2.1"
    user_agent = "Browser"
    http_accept = "text/html"
    path_info = "/accounts/login/"
    get_data = ""
    post_data = ""
    failures_since_start = 1


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    ip_address = "192.0.2.1"
    user_agent = "Browser"
    http_accept = "text/html"
    path_info = "/accounts/login/"


class AccessFailureLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessFailureLog

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    ip_address = "192.0.2.1"
    user_agent = "Browser"
    http_accept = "text/html"
    path_info = "/accounts/login/"
