"""Each shared read rule is written once; where it has a SQL and a batch form, they agree."""

import pytest

from coordination import consultations, selectors
from coordination.models import ActionItem
from tests import factories

pytestmark = pytest.mark.django_db


def test_both_forms_of_who_owns_an_action_item_agree(gcg):
    ilo = factories.OrganisationFactory(name="ILO")
    named = factories.UserFactory(email="named@example.org")
    factories.PersonFactory(user=named, email=named.email)
    at_ilo = factories.UserFactory(email="at-ilo@example.org")
    factories.PersonFactory(user=at_ilo, email=at_ilo.email, organisation=ilo)
    in_gcg = factories.UserFactory(email="in-gcg@example.org")
    factories.MembershipFactory(person__user=in_gcg, person__email=in_gcg.email, group=gcg)
    nobody = factories.UserFactory(email="nobody@example.org")
    factories.PersonFactory(full_name="No account at the ILO", organisation=ilo)

    by_person = factories.ActionItemFactory(meeting__group=gcg)
    by_person.owner_people.add(named.person)
    by_org = factories.ActionItemFactory(meeting__group=gcg)
    by_org.owner_organisations.add(ilo)
    by_group = factories.ActionItemFactory(meeting__group=gcg)
    by_group.owner_groups.add(gcg)
    factories.ActionItemFactory(meeting__group=gcg)  # owned by nobody

    batch = selectors.action_item_owners(ActionItem.objects.values("pk"))
    for user in (named, at_ilo, in_gcg, nobody):
        owned = set(ActionItem.objects.owned_by(user).values_list("pk", flat=True))
        person_id = getattr(getattr(user, "person", None), "pk", None)
        assert owned == {item for item, people in batch.items() if person_id in people}
    assert batch[by_person.pk] == {named.person.pk}
    assert batch[by_org.pk] == {at_ilo.person.pk}  # the ILO person without an account: no
    assert batch[by_group.pk] == {in_gcg.person.pk}


def test_a_withdrawn_comment_is_no_response_and_no_comments_is(gcg, gcg_member):
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text="One.")
    consultation = consultations.consultation_open(version=version, audience=gcg)
    person = gcg_member.person
    comment = consultations.comment_submit(
        consultation=consultation, author=person, paragraph="", text="Hm."
    )
    assert selectors.has_responded(person, consultation)
    consultations.comment_withdraw(comment=comment, author=person)
    assert not selectors.has_responded(person, consultation)
    assert [row["response"].has_responded for row in consultations.responses(consultation)] == [
        False
    ]
    consultations.no_comments_state(consultation=consultation, person=person)
    assert selectors.has_responded(person, consultation)
    assert [row["response"].has_responded for row in consultations.responses(consultation)] == [
        True
    ]


def test_who_changes_an_action_items_status(gcg, other_group, secretariat):
    """Named people and organisations, the chairs of an owning group, the secretariat; not
    the plain members of an owning group, nor a chair of another group."""
    ilo = factories.OrganisationFactory(name="ILO")

    def account(email, **person):
        user = factories.UserFactory(email=email)
        factories.PersonFactory(user=user, email=email, **person)
        return user

    named = account("named@example.org")
    at_ilo = account("at-ilo@example.org", organisation=ilo)
    chair, co_chair, member, other_chair = (
        account(f"{name}@example.org") for name in ("chair", "co-chair", "member", "other-chair")
    )
    for user, group, role in [
        (chair, gcg, "chair"),
        (co_chair, gcg, "co_chair"),
        (member, gcg, "member"),
        (other_chair, other_group, "chair"),
    ]:
        factories.MembershipFactory(person=user.person, group=group, role=role)
    item = factories.ActionItemFactory(meeting__group=gcg)
    item.owner_people.add(named.person)
    item.owner_organisations.add(ilo)
    item.owner_groups.add(gcg)

    may = {
        user.email: selectors.may_change_action_item_status(user, item)
        for user in (named, at_ilo, chair, co_chair, member, other_chair, secretariat)
    }
    assert may == {
        "named@example.org": True,
        "at-ilo@example.org": True,
        "chair@example.org": True,
        "co-chair@example.org": True,
        "member@example.org": False,
        "other-chair@example.org": False,
        "officer@example.org": True,
    }
    assert ActionItem.objects.owned_by(member).filter(pk=item.pk).exists()  # still theirs
