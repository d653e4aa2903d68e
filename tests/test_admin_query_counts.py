"""Every admin list runs the same few queries with two rows as with thirty-two, each row with the
records its columns, filters and names show; so do an action item's and a person's pages."""

import datetime

import factory
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group as PermissionGroup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from actiongroups.models import ActionGroup, PartnerApplication
from api.services import token_create
from coordination import models
from pathfinders.models import InterestSubmission, NationalWorkshop, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

# Session, user, the list, its count, a filter's choices or two, the dates' first and last.
MAX_CHANGELIST_QUERIES = 10
MAX_CHANGE_PAGE_QUERIES = 14


def action_groups(n):
    for action_group in factories.ActionGroupFactory.create_batch(n):
        action_group.chair_organisations.set(factories.OrganisationFactory.create_batch(2))


# Hashing a password takes a good part of a second: the accounts made here have none.
ACCOUNT = factory.SubFactory(factories.UserFactory, password=None)


def users(n):
    for user in factories.UserFactory.create_batch(n, password=None):
        user.groups.add(factories.PermissionGroupFactory())


def later(n):
    return factories.every_400_days(n).date()


# How to add n rows of each model the admin lists, with what its columns and filters show.
ROWS = {
    PermissionGroup: factories.PermissionGroupFactory.create_batch,
    AccessAttempt: factories.AccessAttemptFactory.create_batch,
    AccessLog: factories.AccessLogFactory.create_batch,
    AccessFailureLog: factories.AccessFailureLogFactory.create_batch,
    models.User: users,
    models.Organisation: lambda n: factories.OrganisationFactory.create_batch(
        n, acronym="ORG", country=factory.Sequence(factories.country_code)
    ),
    models.Person: lambda n: factories.MembershipFactory.create_batch(
        n,
        person__user=ACCOUNT,
        person__invited_at=factory.Sequence(factories.every_400_days),
    ),
    models.Group: factories.GroupFactory.create_batch,
    models.Meeting: factories.MeetingFactory.create_batch,
    models.AgendaItem: factories.AgendaItemFactory.create_batch,
    models.ActionItem: lambda n: factories.ActionItemFactory.create_batch(
        n,
        due_on=factory.Sequence(later),
        status_changed_by=ACCOUNT,
        trigger_document=factory.SubFactory(factories.DocumentFactory),
    ),
    models.Document: factories.DocumentFactory.create_batch,
    models.DocumentVersion: lambda n: [factories.ConsultationFactory().version for _ in range(n)],
    models.Decision: lambda n: factories.DecisionFactory.create_batch(
        n, adopts_version=factory.SubFactory(factories.DocumentVersionFactory)
    ),
    models.Annex: factories.AnnexFactory.create_batch,
    models.Event: lambda n: factories.EventFactory.create_batch(
        n, presented_at=factory.SubFactory(factories.MeetingFactory)
    ),
    models.Consultation: factories.ConsultationFactory.create_batch,
    models.Comment: lambda n: factories.CommentFactory.create_batch(
        n, disposition="noted", disposed_by=ACCOUNT
    ),
    models.Reminder: factories.ReminderFactory.create_batch,
    models.OutboundEmail: factories.OutboundEmailFactory.create_batch,
    PathfinderCountry: lambda n: factories.PathfinderCountryFactory.create_batch(
        n, focal_point=factory.SubFactory(factories.PersonFactory)
    ),
    NationalWorkshop: factories.NationalWorkshopFactory.create_batch,
    InterestSubmission: factories.InterestSubmissionFactory.create_batch,
    ActionGroup: action_groups,
    PartnerApplication: factories.PartnerApplicationFactory.create_batch,
    AuthToken: lambda n: [
        token_create(
            user=factories.UserFactory(password=None),
            name="Script",
            lifetime=datetime.timedelta(days=30),
        )
        for _ in range(n)
    ],
}


def changelist(client, model) -> tuple[int, int]:
    """The queries the list ran, and the rows it shows."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def test_every_admin_list_has_rows_to_add():
    assert set(admin.site._registry) == set(ROWS)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_list_queries_do_not_grow_with_rows(client, secretariat, model):
    client.force_login(secretariat)
    ROWS[model](2)
    few, shown = changelist(client, model)
    ROWS[model](30)
    many, shown_now = changelist(client, model)

    assert shown_now == shown + 30
    assert many == few
    assert many <= MAX_CHANGELIST_QUERIES


def change_page(client, obj) -> int:
    url = reverse(f"admin:coordination_{obj._meta.model_name}_change", args=[obj.pk])
    client.get(url)  # the content types, read once for the process, are not the page's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_action_item_page_queries_do_not_grow_with_its_owners_and_history(client, secretariat):
    item = factories.ActionItemFactory()

    def add(n):
        factories.ActionItemStatusChangeFactory.create_batch(
            n, action_item=item, changed_by=secretariat
        )
        item.owner_people.add(*factories.PersonFactory.create_batch(n))
        item.owner_organisations.add(*factories.OrganisationFactory.create_batch(n))
        item.owner_groups.add(*factories.GroupFactory.create_batch(n))
        factories.AgendaItemFactory.create_batch(n, meeting=factories.MeetingFactory())

    client.force_login(secretariat)
    add(1)
    few = change_page(client, item)
    add(30)
    many = change_page(client, item)

    assert many == few
    assert many <= MAX_CHANGE_PAGE_QUERIES


def test_person_page_queries_do_not_grow_with_their_groups(client, secretariat):
    person = factories.PersonFactory(user=factories.UserFactory(password=None))

    client.force_login(secretariat)
    factories.MembershipFactory(person=person)
    few = change_page(client, person)
    factories.MembershipFactory.create_batch(30, person=person)
    many = change_page(client, person)

    assert many == few
    assert many <= MAX_CHANGE_PAGE_QUERIES
