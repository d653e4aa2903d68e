"""The GCG and the machinery every app shares: people, groups, meetings, papers, action items."""

import dataclasses
import datetime
import re
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, BaseUserManager, Permission
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .text import ordinal, to_roman
from .uploads import validate_annex_file


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_day_list(value: str) -> None:
    try:
        days = parse_day_list(value)
    except ValueError:
        days = None
    if not days:
        raise ValidationError(_("Give whole numbers of days separated by commas, e.g. 7,2,1."))


def parse_day_list(value: str) -> list[int]:
    """“7, 2,1” → [7, 2, 1]; raises ValueError for anything else."""
    days = sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)
    if any(day < 0 or day > 365 for day in days):
        raise ValueError(value)
    return days


# What the demo adds to make a flow tryable (a comment, a revised draft, a status change) is
# marked as such wherever it is shown, so that no one reads it as a meeting's record.
ILLUSTRATIVE_HELP = _(
    "Added by the demo so that the flow can be tried; not part of any meeting's record."
)


def choices_check(field: str, choices) -> Q:
    """The database refuses a status that the code does not know."""
    return Q(**{f"{field}__in": choices.values})


# ---------------------------------------------------------------------------
# Accounts and people


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


SECRETARIAT_PERMISSION = "coordination.act_as_secretariat"
SECRETARIAT_GROUP = "Secretariat"  # the auth group holding it, created by a migration


def secretariat_group() -> AuthGroup:
    """The auth group that holds the secretariat's permission. Migration 0002 creates it; this
    makes it again where it is missing (a test database flushed between tests, say)."""
    group, created = AuthGroup.objects.get_or_create(name=SECRETARIAT_GROUP)
    if created:
        app_label, codename = SECRETARIAT_PERMISSION.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


class User(AbstractUser):
    """An account; the email address is the login.

    Staff status only opens the admin (what it shows there depends on the admin permissions).
    The secretariat's powers on the site come from one permission, SECRETARIAT_PERMISSION,
    held through the “Secretariat” group (superusers hold every permission).
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Deadlines are shown in this time zone."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("act_as_secretariat", "Can act as the secretariat on the site")]

    def __str__(self):
        return self.get_full_name() or self.email

    @cached_property
    def is_secretariat(self) -> bool:
        """Never staff status. One query, kept on this object for the request (every page asks,
        for the navbar): the rule of selectors.secretariat_users, for this account."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        from .selectors import secretariat_users  # the selectors read the models

        return secretariat_users().filter(pk=self.pk).exists()

    @cached_property
    def ownership(self) -> "Ownership":
        """The user's person, its organisation and its groups: what makes them an owner of an
        action item and a reader of a group's papers. One query, kept on this object for the
        request; the queries then take the ids as values, which lets the databases walk an index
        (a subquery in every row's EXISTS costs SQLite a lookup per row)."""
        rows = list(
            Person.objects.filter(user_id=self.pk).values_list(
                "pk", "organisation_id", "memberships__group_id", "memberships__role"
            )
        )
        if not rows:
            return Ownership(None, None, (), ())
        person_id, organisation_id, _group_id, _role = rows[0]
        memberships = sorted((group_id, role) for *_, group_id, role in rows if group_id)
        return Ownership(
            person_id,
            organisation_id,
            tuple(group_id for group_id, _role in memberships),
            tuple(group_id for group_id, role in memberships if role in Membership.CHAIR_ROLES),
        )

    @property
    def has_membership(self) -> bool:
        """Belongs to at least one group, through their person."""
        return bool(self.ownership.group_ids)

    @property
    def can_see_members_pages(self) -> bool:
        """Meetings, documents, action items, events, action groups, pathfinder countries.
        An account without a membership has its dashboard, its preferences and the public pages."""
        return self.is_secretariat or self.has_membership


class Constituency(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    UN_AGENCY = "un_agency", _("UN agency")
    WORKERS = "workers", _("Workers' organisation")
    EMPLOYERS = "employers", _("Employers' organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    SURVIVORS = "survivors", _("Survivors' network")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other")


class SubmissionStatus(models.TextChoices):
    """Triage of what the public submits (pathfinder interest, partner applications)."""

    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged as a duplicate")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class PublicSubmission(models.Model):
    """What the public sends through a form, kept as sent until the secretariat triages it."""

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.NEW
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    spam_reason = models.CharField(_("why it looked like spam"), max_length=200, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    is_illustrative = models.BooleanField(
        _("illustrative example"), default=False, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=choices_check("status", SubmissionStatus),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Constituency.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("kind", Constituency), name="organisation_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Each email as it comes")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest (Mondays)")


class InvitationStatus(models.TextChoices):
    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")


# The invitation's account has an unusable password and has never signed in; choosing a
# password through the link (which also signs in) is accepting it. The SQL form of
# Person.invitation_status, for the people list's filter; a test holds the two together.
INVITATION_ACCEPTED = Q(user__isnull=False) & (
    Q(user__last_login__isnull=False) | ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
)


class PersonQuerySet(models.QuerySet):
    def with_invitation_status(self):
        return self.annotate(
            invitation=models.Case(
                models.When(INVITATION_ACCEPTED, then=models.Value(InvitationStatus.ACCEPTED)),
                models.When(invited_at__isnull=False, then=models.Value(InvitationStatus.INVITED)),
                default=models.Value(InvitationStatus.NOT_INVITED),
                output_field=models.CharField(),
            )
        )


class Person(models.Model):
    """Someone the secretariat works with; an account is optional (given by invitation)."""

    InvitationStatus = InvitationStatus

    honorific = models.CharField(_("honorific"), max_length=20, blank=True)
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    notification_delivery = models.CharField(
        _("notifications"),
        max_length=20,
        choices=NotificationDelivery.choices,
        default=NotificationDelivery.IMMEDIATE,
    )
    muted_kinds = models.JSONField(
        _("notifications turned off"), default=list, blank=True, help_text=_("Kinds of reminder.")
    )
    last_digest_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    invited_at = models.DateTimeField(
        _("invited at"),
        null=True,
        blank=True,
        help_text=_("When the last invitation to the site was recorded."),
    )
    calendar_key = models.UUIDField(
        _("calendar key"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The secret part of the person's calendar feed address."),
    )
    history = HistoricalRecords(excluded_fields=["last_digest_at", "calendar_key"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_email_unique"
            ),
        ]

    def __str__(self):
        return " ".join(part for part in (self.honorific, self.full_name) if part)

    @property
    def invitation_status(self) -> InvitationStatus:
        """Accepted once the account has a password of its own or has signed in (the
        invitation's account has neither until its link is used); load it with `user`."""
        user = self.user
        if user is not None and (user.last_login or user.has_usable_password()):
            return InvitationStatus.ACCEPTED
        if self.invited_at is not None:
            return InvitationStatus.INVITED
        return InvitationStatus.NOT_INVITED

    def invitation_display(self) -> str:
        """“Invited on 3 March 2026”, “Accepted” or “Not invited”, for the people list."""
        status = self.invitation_status
        if status == InvitationStatus.INVITED:
            return _("Invited on %(date)s") % {
                "date": date_format(timezone.localdate(self.invited_at))
            }
        return str(status.label)

    @property
    def calendar_open(self) -> bool:
        """The secret calendar address works only while the person has an active account:
        deactivating the account (from any door) closes it at once; load it with `user`."""
        return self.user is not None and self.user.is_active


# ---------------------------------------------------------------------------
# Groups


class GroupQuerySet(models.QuerySet):
    def of_user(self, user):
        return self.filter(pk__in=user_group_ids(user))


class GroupKind(models.TextChoices):
    GCG = "gcg", _("Global Coordinating Group")
    ACTION_GROUP = "action_group", _("Action group")
    FOCAL_POINTS = "focal_points", _("Focal points")
    OTHER = "other", _("Other")


class Group(models.Model):
    """The GCG, each action group and the Communications focal points are groups."""

    Kind = GroupKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("kind", GroupKind), name="group_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("group_meetings", args=[self.slug])


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ALTERNATE = "alternate", _("Alternate")
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    FOCAL_POINT = "focal_point", _("Focal point")
    SECRETARIAT = "secretariat", _("Secretariat")


class Membership(models.Model):
    Role = MembershipRole

    # Who runs a group: they update its work plan from the site and see it on their dashboard.
    CHAIR_ROLES = (MembershipRole.CHAIR, MembershipRole.CO_CHAIR)

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    constituency = models.CharField(
        _("constituency"), max_length=20, choices=Constituency.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "person__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="membership_once_per_group"),
            models.CheckConstraint(
                condition=choices_check("role", MembershipRole), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(constituency="") | choices_check("constituency", Constituency),
                name="membership_constituency_valid",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.group.short_name} ({self.get_role_display()})"

    @property
    def is_chair(self) -> bool:
        return self.role in self.CHAIR_ROLES


@dataclasses.dataclass(frozen=True)
class Ownership:
    """See User.ownership."""

    person_id: int | None
    organisation_id: int | None
    group_ids: tuple[int, ...]
    chaired_group_ids: tuple[int, ...]  # the groups the user chairs (Membership.is_chair)


def user_group_ids(user) -> tuple[int, ...]:
    """The ids of the groups the user belongs to (through their person)."""
    if not user.is_authenticated:
        return ()
    return user.ownership.group_ids


# ---------------------------------------------------------------------------
# Meetings


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_secretariat:
            return self
        return self.filter(group_id__in=user_group_ids(user))

    def upcoming(self, today: datetime.date):
        """Meetings still to come: confirmed from today on, or planned in a window not yet past."""
        return self.exclude(status__in=[Meeting.Status.HELD, Meeting.Status.CANCELLED]).filter(
            Q(starts_on__gte=today)
            | Q(starts_on__isnull=True, window_ends_on__gte=today)
            | Q(starts_on__isnull=True, window_ends_on__isnull=True)
        )


class MeetingStatus(models.TextChoices):
    # In context: a meeting is feminine in French and Spanish (prévue, prevista).
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    CONFIRMED = "confirmed", pgettext_lazy("meeting status", "Confirmed")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


MEETING_CALENDAR_FIELDS = ("starts_on", "ends_on", "city", "venue", "status", "window_starts_on")


class Meeting(models.Model):
    Status = MeetingStatus

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("3 for the 3rd meeting."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Deadlines and reminders of this meeting use this time zone."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    window_starts_on = models.DateField(
        _("tentative window from"),
        null=True,
        blank=True,
        help_text=_("While the dates are not confirmed: the earliest possible date."),
    )
    window_ends_on = models.DateField(_("tentative window to"), null=True, blank=True)
    dates_note = models.CharField(
        _("dates note"),
        max_length=200,
        blank=True,
        help_text=_("How the dates read while tentative, e.g. “March or April 2019, tbc”."),
    )
    objective = models.TextField(_("objective"), blank=True)
    participants_note = models.TextField(
        _("participants note"),
        blank=True,
        help_text=_("Shown above the participants, e.g. “See attached list (Annex I)”."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    papers_published_at = models.DateTimeField(
        _("papers available since"),
        null=True,
        blank=True,
        help_text=_("Set it when the papers are ready: the group is told once."),
    )
    ical_sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Grows when the dates or place change, so calendars update the same entry."),
    )
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["group", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
            models.CheckConstraint(
                condition=choices_check("status", MeetingStatus), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=False, ends_on__gte=F("starts_on")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(window_ends_on__isnull=True)
                | Q(window_starts_on__isnull=True)
                | Q(window_ends_on__gte=F("window_starts_on")),
                name="meeting_window_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(starts_on__isnull=False),
                name="meeting_confirmed_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="held")
                | Q(starts_on__isnull=False)
                | Q(window_starts_on__isnull=False),
                name="meeting_held_has_dates",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Once announced, a change of dates, place or status is a new revision of the
        calendar entry (the first invitation goes out at revision 0)."""
        loaded = getattr(self, "_calendar_loaded", None)
        announced = loaded and loaded.get("status", self.Status.PLANNED) != self.Status.PLANNED
        if announced and any(getattr(self, name) != value for name, value in loaded.items()):
            self.ical_sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "ical_sequence"}
        super().save(*args, **kwargs)
        self._calendar_loaded = {name: getattr(self, name) for name in MEETING_CALENDAR_FIELDS}

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        meeting = super().from_db(db, field_names, values)
        meeting._calendar_loaded = {
            name: getattr(meeting, name) for name in MEETING_CALENDAR_FIELDS if name in field_names
        }
        return meeting

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The meeting cannot end before it starts.")
        if self.ends_on and not self.starts_on:
            errors["starts_on"] = _("Give the first day as well as the last.")
        if (
            self.window_starts_on
            and self.window_ends_on
            and self.window_ends_on < self.window_starts_on
        ):
            errors["window_ends_on"] = _("The tentative window cannot end before it starts.")
        if self.status == self.Status.CONFIRMED and not self.starts_on:
            errors["starts_on"] = _("A confirmed meeting needs its dates.")
        if self.status == self.Status.HELD and not (self.starts_on or self.window_starts_on):
            errors["starts_on"] = _("Give the dates (or at least the month) of a held meeting.")
        if errors:
            raise ValidationError(errors)

    @property
    def title(self) -> str:
        return _("%(ordinal)s %(group)s meeting") % {
            "ordinal": ordinal(self.number),
            "group": self.group.short_name,
        }

    @property
    def report_title(self) -> str:
        """The seed report's title, for a meeting held; a meeting not (yet) held is no report."""
        if not self.is_held:
            return self.title
        return _("Report of the %(ordinal)s Meeting of the Alliance 8.7 %(group)s") % {
            "ordinal": ordinal(self.number),
            "group": self.group.name,
        }

    @property
    def has_confirmed_dates(self) -> bool:
        return self.starts_on is not None

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def not_held_notice(self) -> str:
        """What a report of a meeting not (yet) held says instead of reporting: a printed
        agenda must not pass for the minutes of a meeting that never took place."""
        if self.is_held:
            return ""
        if self.status == self.Status.CANCELLED:
            return _("This meeting was cancelled: there is no report of it.")
        return _("This meeting has not been held yet (%(dates)s): there is no report of it.") % {
            "dates": self.dates_display
        }

    @property
    def dates_display(self) -> str:
        """“28 November 2018”, “29–30 November 2018”, or the tentative window as written."""
        if self.starts_on:
            return date_range_display(self.starts_on, self.ends_on)
        if self.dates_note:
            return self.dates_note
        if self.window_starts_on and self.window_ends_on:
            return _("between %(start)s and %(end)s (tbc)") % {
                "start": date_format(self.window_starts_on, "DATE_FORMAT"),
                "end": date_format(self.window_ends_on, "DATE_FORMAT"),
            }
        return _("dates to be confirmed")

    @property
    def place_display(self) -> str:
        return ", ".join(part for part in (self.venue, self.city) if part)

    @property
    def sort_date(self) -> datetime.date | None:
        return self.starts_on or self.window_starts_on


def date_range_display(start: datetime.date, end: datetime.date | None) -> str:
    if not end or end == start:
        return date_format(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end)}"
    if start.year == end.year:
        return f"{date_format(start, 'MONTH_DAY_FORMAT')} – {date_format(end)}"
    return f"{date_format(start)} – {date_format(end)}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="agenda_item_order_positive"),
        ]

    def __str__(self):
        return f"{self.numeral}. {self.title}"

    @property
    def numeral(self) -> str:
        return to_roman(self.order)

    @property
    def anchor(self) -> str:
        return f"item-{self.order}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Remote")
    APOLOGIES = "apologies", _("Apologies")


class Attendance(models.Model):
    Status = AttendanceStatus

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The organisation represented (an organisation alone when nobody is named)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PRESENT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "organisation__name", "person__full_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="attendance_names_someone",
            ),
            models.CheckConstraint(
                condition=choices_check("status", AttendanceStatus), name="attendance_status_valid"
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_person_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(person__isnull=True),
                name="attendance_organisation_once",
            ),
        ]

    def __str__(self):
        return str(self.person or self.organisation)

    def clean(self):
        if not self.person_id and not self.organisation_id:
            raise ValidationError(_("Name a person or an organisation."))


class Annex(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="annexes"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annexes",
    )
    file = models.FileField(
        _("file"),
        upload_to="annexes/%Y/",
        blank=True,
        validators=[validate_annex_file],
        help_text=_("PDF, Office document or image."),
    )
    url = models.URLField(_("link"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="annex_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="annex_number_positive"),
        ]

    def __str__(self):
        return _("%(label)s: %(title)s") % {"label": self.label, "title": self.title}

    def get_absolute_url(self):
        if self.file:
            return reverse("annex_download", args=[self.meeting_id, self.number])
        return self.url

    @property
    def label(self) -> str:
        return _("Annex %(numeral)s") % {"numeral": to_roman(self.number)}


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("text"))
    adopts_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("adopts version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopting_decisions",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]


# ---------------------------------------------------------------------------
# Documents


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_secretariat:
            return self
        return self.filter(owner_group_id__in=user_group_ids(user))


class DocumentKind(models.TextChoices):
    TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of Reference")
    GUIDANCE_NOTE = "guidance_note", _("Guidance note")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    WORK_PLAN = "work_plan", _("Work plan")
    REPORT = "report", _("Report")
    ROADMAP = "roadmap", _("Roadmap")
    OTHER = "other", _("Other")


class Document(models.Model):
    Kind = DocumentKind

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    owner_group = models.ForeignKey(
        Group, verbose_name=_("owner group"), on_delete=models.PROTECT, related_name="documents"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["owner_group", "title"], name="document_title_unique"),
            models.CheckConstraint(
                condition=choices_check("kind", DocumentKind), name="document_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("document_detail", args=[self.pk])


class DocumentVersionQuerySet(models.QuerySet):
    def with_consultations_close(self):
        """Annotates when each version's last consultation closes, for its status label
        (DocumentVersion.status_display): one query for a list, not one per row."""
        last = (
            Consultation.objects.filter(version=OuterRef("pk"))
            .order_by("-closes_at")
            .values("closes_at")[:1]
        )
        return self.annotate(consultations_close_at=Subquery(last))


class DocumentVersionStatus(models.TextChoices):
    # In context: a version is feminine in French and Spanish (adoptée, adoptada).
    DRAFT = "draft", pgettext_lazy("version status", "Draft")
    SHARED = "shared", pgettext_lazy("version status", "Shared for comment")
    FINAL = "final", pgettext_lazy("version status", "Final")
    ADOPTED = "adopted", pgettext_lazy("version status", "Adopted")
    SUPERSEDED = "superseded", pgettext_lazy("version status", "Superseded")


class DocumentVersion(models.Model):
    Status = DocumentVersionStatus

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    change_summary = models.TextField(_("change summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative example"), default=False, help_text=ILLUSTRATIVE_HELP
    )
    history = HistoricalRecords()

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        get_latest_by = "number"
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        indexes = [
            # the dashboard's latest versions: walked newest first, it stops at the eighth
            models.Index(fields=["-created_at", "-id"], name="document_version_latest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=choices_check("status", DocumentVersionStatus),
                name="version_status_valid",
            ),
        ]

    def __str__(self):
        return _("%(document)s, version %(number)s") % {
            "document": self.document.title,
            "number": self.number,
        }

    def get_absolute_url(self):
        return reverse("version_detail", args=[self.document_id, self.number])

    @cached_property
    def consultations_close_at(self) -> datetime.datetime | None:
        """When its last consultation closes (None without one). Lists load it with
        `with_consultations_close()` (the annotation takes this name's place) or prefetch
        the consultations; otherwise it costs a query."""
        return max((c.closes_at for c in self.consultations.all()), default=None)

    @property
    def status_display(self) -> str:
        """The status as every page and the admin show it. A version shared for comment whose
        consultations have all closed is no longer out for comment: it reads “Consultation
        closed on …” until a new version or a decision moves it on."""
        closes_at = self.consultations_close_at
        if self.status == self.Status.SHARED and closes_at and closes_at <= timezone.now():
            return _("Consultation closed on %(date)s") % {
                "date": date_format(timezone.localdate(closes_at))
            }
        return self.get_status_display()

    @cached_property
    def paragraphs(self):
        from .paragraphs import split_paragraphs

        return split_paragraphs(self.text)

    def paragraph(self, number: str):
        return next((p for p in self.paragraphs if p.number == number), None)


# ---------------------------------------------------------------------------
# Action items


class LiteralIn(models.Expression):
    """`field IN ('a', 'b')` with the values written into the SQL, not bound: SQLite uses a
    partial index only when the query states the index's condition itself (the dashboard's
    first open items, on action_item_open_due: 0.06 ms instead of 27 ms with bound values).
    For the code's own choices only, never for input."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, field: str, values):
        super().__init__()
        self.values = tuple(str(value) for value in values)
        if not self.values or not all(re.fullmatch(r"[a-z_]+", value) for value in self.values):
            raise ValueError(f"not a choice of the code: {self.values!r}")
        self.column = F(field)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} IN ({', '.join(repr(value) for value in self.values)})", params


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(LiteralIn("status", ActionItem.OPEN_STATUSES))

    def overdue(self, today: datetime.date):
        return self.open().filter(due_on__lt=today)

    def first_due(self, limit: int) -> list["ActionItem"]:
        """The first `limit` items in DUE_ORDER, chosen on their keys before their rows are read:
        SQLite joins what select_related asks for on every matching row before it sorts them
        (15 ms against 0.3 ms for 1,500 overdue items)."""
        first = self.order_by(*ActionItem.DUE_ORDER).values_list("pk", flat=True)[:limit]
        return self.in_due_order(list(first))

    def in_due_order(self, pks) -> list["ActionItem"]:
        """The items of `pks`, read in one query, in DUE_ORDER."""
        return sorted(self.filter(pk__in=pks), key=ActionItem.due_order_key)

    def with_illustrative_status(self):
        """`status_is_illustrative`: the status now shown was set by the demo, which a row
        says (a real change after it is the record's again)."""
        latest = ActionItemStatusChange.objects.filter(action_item=OuterRef("pk")).order_by(
            "-changed_at", "-pk"
        )
        return self.annotate(
            status_is_illustrative=Coalesce(
                Subquery(latest.values("is_illustrative")[:1]), models.Value(False)
            )
        )

    def listed(self):
        """With what a row of a list shows (meeting, group, trigger document, owners), in the
        list's order: by status, then soonest due first, undated last."""
        return (
            self.select_related("meeting__group", "trigger_document", "trigger_action")
            .with_illustrative_status()
            .prefetch_related(*ActionItem.owners_prefetch())
            .order_by("status", F("due_on").asc(nulls_last=True), "pk")
        )

    def owned_by(self, user):
        """Items the user owns (the rule lives in selectors, with its batch form)."""
        from .selectors import action_items_owned_by

        return action_items_owned_by(self, user)

    def visible_to(self, user):
        if user.is_secretariat:
            return self
        from .selectors import action_item_owned_condition

        return self.filter(
            Q(meeting__group_id__in=user_group_ids(user)) | action_item_owned_condition(user)
        )


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(models.Model):
    """An action point to follow to done; its due date is fixed, or relative to a trigger."""

    Status = ActionItemStatus

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    # Soonest due first, undated (a trigger not yet recorded) last: PostgreSQL's index order.
    DUE_ORDER = (F("due_on").asc(nulls_last=True), "pk")

    title = models.CharField(_("title"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    owner_people = models.ManyToManyField(
        Person, verbose_name=_("owners (people)"), blank=True, related_name="action_items"
    )
    owner_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("owners (organisations)"),
        blank=True,
        related_name="action_items",
    )
    owner_groups = models.ManyToManyField(
        Group, verbose_name=_("owners (groups)"), blank=True, related_name="action_items"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_days_after_trigger = models.PositiveSmallIntegerField(
        _("due days after trigger"),
        null=True,
        blank=True,
        help_text=_("For a relative deadline: 14 for “two weeks after receipt of the draft”."),
    )
    trigger = models.CharField(
        _("trigger"),
        max_length=200,
        blank=True,
        help_text=_("What starts the clock, e.g. “receipt of the revised draft”."),
    )
    trigger_document = models.ForeignKey(
        Document,
        verbose_name=_("trigger document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waiting_action_items",
        help_text=_("Sharing a new version of this document records the trigger."),
    )
    trigger_action = models.ForeignKey(
        "self",
        verbose_name=_("trigger action item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="following_action_items",
        help_text=_("Marking this action item done records the trigger."),
    )
    triggered_at = models.DateTimeField(_("triggered at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_item_status_due"),
            # used by the admin's action item list (in this order) and its years of due dates
            models.Index(fields=["due_on", "id"], name="action_item_due"),
            # the dashboard's first open items by due date (selectors.action_items_owned_first_due)
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="action_item_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=choices_check("status", ActionItemStatus), name="action_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_days_after_trigger__isnull=True) | ~Q(trigger=""),
                name="action_item_relative_names_trigger",
            ),
            models.CheckConstraint(
                condition=Q(triggered_at__isnull=True) | Q(due_days_after_trigger__isnull=False),
                name="action_item_trigger_needs_offset",
            ),
            # Waiting for another action item: a relative deadline, and one thing to wait for.
            models.CheckConstraint(
                condition=Q(trigger_action__isnull=True)
                | Q(due_days_after_trigger__isnull=False, trigger_document__isnull=True),
                name="action_item_waits_for_one_thing",
            ),
            models.CheckConstraint(
                condition=~Q(trigger_action=F("pk")), name="action_item_waits_not_for_itself"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("action_item_detail", args=[self.pk])

    @staticmethod
    def due_sort_key(due_on: datetime.date | None, pk: int) -> tuple:
        """DUE_ORDER in Python, for keys or items already read."""
        return (due_on is None, due_on or datetime.date.min, pk)

    def due_order_key(self) -> tuple:
        return self.due_sort_key(self.due_on, self.pk)

    def clean(self):
        if self.due_days_after_trigger is not None and not self.trigger:
            raise ValidationError(
                {"trigger": _("Say what starts the clock of a relative deadline.")}
            )
        if self.due_days_after_trigger is not None and self.due_on and not self.triggered_at:
            raise ValidationError(
                {"due_on": _("A relative deadline gets its date when the trigger is recorded.")}
            )
        if self.trigger_action_id and self.due_days_after_trigger is None:
            raise ValidationError(
                {"trigger_action": _("Only a relative deadline waits for another action item.")}
            )
        if self.trigger_action_id and self.trigger_document_id:
            raise ValidationError(
                {"trigger_action": _("Wait for a document or for an action item, not both.")}
            )
        awaited, seen = self.trigger_action, {self.pk}
        while awaited is not None:  # a chain that comes back here would never start
            if awaited.pk in seen:
                raise ValidationError(
                    {"trigger_action": _("An action item cannot wait for itself.")}
                )
            seen.add(awaited.pk)
            awaited = awaited.trigger_action

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def waiting_on(self):
        """The document or the action item whose event starts this item's clock, if any."""
        return self.trigger_document or self.trigger_action

    def is_status_illustrative(self) -> bool:
        """Whether the status now shown was set by the demo (one query; lists annotate it
        with ActionItemQuerySet.with_illustrative_status)."""
        latest = self.status_changes.order_by("-changed_at", "-pk").first()
        return bool(latest and latest.is_illustrative)

    @property
    def is_relative(self) -> bool:
        return self.due_days_after_trigger is not None

    @property
    def is_waiting_for_trigger(self) -> bool:
        return self.is_relative and self.triggered_at is None

    def due_date_from_trigger(self, triggered_at: datetime.datetime) -> datetime.date:
        """The clock starts on the trigger's day in the meeting's time zone (or the site's)."""
        tz = zoneinfo.ZoneInfo(self.meeting.time_zone if self.meeting else settings.TIME_ZONE)
        return timezone.localtime(triggered_at, tz).date() + datetime.timedelta(
            days=self.due_days_after_trigger
        )

    def deadline_display(self) -> str:
        """The deadline as the meeting worded it, for a report read long after today:
        “two weeks after receipt of the revised draft”, and its date once the trigger is
        recorded; a fixed deadline is its date. (due_label says how far off it is today.)"""
        date = date_format(self.due_on) if self.due_on else ""
        if not self.is_relative:
            return date
        days = self.due_days_after_trigger
        if days and days % 7 == 0:
            relative = ngettext(
                "%(count)s week after %(trigger)s", "%(count)s weeks after %(trigger)s", days // 7
            ) % {"count": apnumber(days // 7), "trigger": self.trigger}
        else:
            relative = ngettext(
                "%(count)s day after %(trigger)s", "%(count)s days after %(trigger)s", days
            ) % {"count": apnumber(days), "trigger": self.trigger}
        if date:
            return _("%(relative)s (by %(date)s)") % {"relative": relative, "date": date}
        return relative

    def days_until_due(self, today: datetime.date) -> int | None:
        if self.due_on is None:
            return None
        return (self.due_on - today).days

    def is_overdue(self, today: datetime.date) -> bool:
        days = self.days_until_due(today)
        return self.is_open and days is not None and days < 0

    def due_label(self, today: datetime.date) -> str:
        """What a member reads next to the item: “due in 3 days”, “overdue since 3 May 2019”…"""
        if self.is_waiting_for_trigger:
            return ngettext(
                "due %(count)d day after %(trigger)s",
                "due %(count)d days after %(trigger)s",
                self.due_days_after_trigger,
            ) % {"count": self.due_days_after_trigger, "trigger": self.trigger}
        days = self.days_until_due(today)
        if days is None:
            return _("no due date")
        if not self.is_open:
            return _("was due on %(date)s") % {"date": date_format(self.due_on)}
        if days == 0:
            return _("due today")
        if days > 0:
            return ngettext("due in %(count)d day", "due in %(count)d days", days) % {"count": days}
        # A date, not a count: “overdue by 2767 days” says nothing one can act on.
        return _("overdue since %(date)s") % {"date": date_format(self.due_on)}

    OWNER_RELATIONS = ("owner_people", "owner_organisations", "owner_groups")

    @classmethod
    def owners_prefetch(cls) -> list[models.Prefetch]:
        """The owners as plain lists, which owners_display reads: Django's own prefetch builds a
        manager and a queryset for each item and relation (9 ms of a page of 50 items)."""
        return [models.Prefetch(name, to_attr=f"{name}_list") for name in cls.OWNER_RELATIONS]

    def owners_display(self) -> str:
        """Reads the owners of owners_prefetch() when the caller prefetched them."""

        def owners(name):
            prefetched = getattr(self, f"{name}_list", None)
            return getattr(self, name).all() if prefetched is None else prefetched

        people, organisations, groups = (owners(name) for name in self.OWNER_RELATIONS)
        names = [str(p) for p in people]
        names += [o.short_name for o in organisations]
        names += [g.name for g in groups]
        return ", ".join(names)


class ActionItemStatusChange(models.Model):
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ActionItem.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ActionItem.Status.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative example"), default=False, help_text=ILLUSTRATIVE_HELP
    )

    class Meta:
        ordering = ["action_item", "changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


# ---------------------------------------------------------------------------
# Consultations


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_secretariat:
            return self
        return self.filter(audience_id__in=user_group_ids(user))


class Consultation(models.Model):
    """One version opened to a group for comments, from opens_at to closes_at (to the second)."""

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    audience = models.ForeignKey(
        Group, verbose_name=_("audience"), on_delete=models.PROTECT, related_name="consultations"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    comments_private = models.BooleanField(
        _("comments private to the secretariat"),
        default=False,
        help_text=_("Members then see only their own comments."),
    )
    dispositions_published = models.BooleanField(_("dispositions published"), default=False)
    reminder_days = models.CharField(
        _("reminders, days before the close"),
        max_length=40,
        default="7,2,1",
        validators=[validate_day_list],
        help_text=_("Members who have not responded are reminded this many days before."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="consultation_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.version} – {self.audience.short_name}"

    def get_absolute_url(self):
        return reverse("consultation_detail", args=[self.pk])

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The window must close after it opens.")})

    def is_open(self, at: datetime.datetime) -> bool:
        """Closes to the second: the Chair's deadline is a promise to members."""
        return self.opens_at <= at < self.closes_at

    def has_closed(self, at: datetime.datetime) -> bool:
        return at >= self.closes_at

    def has_opened(self, at: datetime.datetime) -> bool:
        return at >= self.opens_at

    def shows_dispositions_to(self, user) -> bool:
        """The secretariat's answers to the comments: its own until it publishes them."""
        return self.dispositions_published or user.is_secretariat


class CommentDisposition(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOTED = "noted", _("Noted")


class CommentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, user, consultation):
        """The secretariat reads all; members read each other's unless comments are private."""
        comments = self.filter(consultation=consultation).current()
        if user.is_secretariat:
            return comments
        if consultation.comments_private:
            return comments.filter(author__user_id=user.pk)
        return comments

    def first_per_paragraph(self, limit: int, *, author_id=None, own_limit: int = 20):
        """The first `limit` comments on each paragraph (in the order written), and the first
        `own_limit` of `author_id`'s (a member's own stay in reach to edit or withdraw). One
        query, however many comments a paragraph has: they are ranked by their keys alone, and
        only the rows kept are read whole."""
        own = ExpressionWrapper(Q(author_id=author_id or 0), output_field=models.BooleanField())
        ranked = (
            self.order_by()
            .annotate(
                is_own=own,
                rank=Window(
                    RowNumber(),
                    partition_by=[F("paragraph"), own],
                    order_by=[F("created_at"), F("pk")],
                ),
            )
            .filter(Q(is_own=False, rank__lte=limit) | Q(is_own=True, rank__lte=own_limit))
        )
        return self.filter(pk__in=ranked.values("pk"))

    def count_by_paragraph(self) -> dict[str, int]:
        """Paragraph number ("" for the whole text) → how many comments it has."""
        return dict(self.order_by().values_list("paragraph").annotate(count=Count("pk")))


def paragraph_sort_key(number: str) -> str:
    """“3.1” → “0003.0001”, so the database sorts paragraph 2 before paragraph 10."""
    return ".".join(part.zfill(4) for part in number.split(".")) if number else ""


class Comment(models.Model):
    MAX_LENGTH = 5000
    Disposition = CommentDisposition

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.PROTECT, related_name="comments"
    )
    paragraph = models.CharField(
        _("paragraph"), max_length=20, blank=True, help_text=_("Empty for the whole text.")
    )
    paragraph_key = models.CharField(max_length=40, blank=True, editable=False)  # sorts 2 < 10
    text = models.TextField(_("comment"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Grows with each edit, so edits never overwrite.")
    )
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, blank=True
    )
    reply = models.TextField(_("reply"), blank=True)
    answered_in_paragraph = models.CharField(
        _("answered in paragraph (next version)"), max_length=20, blank=True
    )
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_illustrative = models.BooleanField(
        _("illustrative example"), default=False, help_text=ILLUSTRATIVE_HELP
    )
    history = HistoricalRecords()

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # used by the comment matrix and the consultation page
            models.Index(fields=["consultation", "withdrawn_at"], name="comment_consultation"),
            # used by the responses queries: a member's own on the consultation page
            # (selectors.consultation_responses for one person), the user's to each consultation
            # on the dashboard (selectors.with_response_of) and each member's on the
            # secretariat's page (selectors.respondents_with_responses): one probe per member
            # and consultation, however many comments the consultation has
            models.Index(
                fields=["author", "consultation"],
                condition=Q(withdrawn_at__isnull=True),
                name="comment_response",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="") | choices_check("disposition", CommentDisposition),
                name="comment_disposition_valid",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.paragraph_key = paragraph_sort_key(self.paragraph)
        super().save(*args, **kwargs)

    @property
    def paragraph_label(self) -> str:
        if not self.paragraph:
            return str(_("Whole text"))
        return _("Paragraph %(number)s") % {"number": self.paragraph}


class ResponseState(models.TextChoices):
    """Where a member of a consultation's audience stands (see selectors.Response)."""

    NOT_YET = "not_yet", _("Not yet")
    WORKING = "working", _("Working")
    FINISHED = "finished", _("Finished")
    NO_COMMENTS = "no_comments", _("No comments")

    @classmethod
    def of(cls, *, comments: int, finished: bool) -> "ResponseState":
        if finished:
            return cls.FINISHED if comments else cls.NO_COMMENTS
        return cls.WORKING if comments else cls.NOT_YET


class NoCommentStatement(models.Model):
    """A member's word that they have no (more) comments: “I have no comments” before any
    comment, “I have finished” after theirs. They responded, and need no reminder.

    Which of the two it is follows from the member's current comments (ResponseState), so the
    two can never disagree; a new comment takes the word back (consultations.comment_submit).
    """

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="no_comment_statements",
        verbose_name=_("consultation"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    stated_at = models.DateTimeField(_("stated at"), default=timezone.now)
    history = HistoricalRecords()  # a member may take their word back: the history keeps it

    class Meta:
        verbose_name = _("“finished” or “no comments” statement")
        verbose_name_plural = _("“finished” or “no comments” statements")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "person"], name="no_comments_once"),
        ]

    def __str__(self):
        return f"{self.person} – {self.consultation}"


# ---------------------------------------------------------------------------
# Events and reminders


def event_date_order(*, latest_first: bool = False) -> list:
    """Events by their date, or by their tentative window when the date is not set; undated
    last, on both databases (SQLite puts NULL first where PostgreSQL puts it last)."""
    date = Coalesce("starts_on", "window_starts_on")
    by_date = date.desc(nulls_last=True) if latest_first else date.asc(nulls_last=True)
    return [by_date, "title", "pk"]


class EventQuerySet(models.QuerySet):
    def by_date(self, *, latest_first: bool = False):
        return self.order_by(*event_date_order(latest_first=latest_first))

    def upcoming(self, today: datetime.date):
        return self.filter(
            Q(ends_on__gte=today)
            | Q(ends_on__isnull=True, starts_on__gte=today)
            | Q(starts_on__isnull=True, window_ends_on__gte=today)
        )


class Event(models.Model):
    """An upcoming event members should hear of, and how far in advance."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    window_starts_on = models.DateField(_("tentative window from"), null=True, blank=True)
    window_ends_on = models.DateField(_("tentative window to"), null=True, blank=True)
    dates_note = models.CharField(_("dates note"), max_length=200, blank=True)
    notify_groups = models.ManyToManyField(
        Group, verbose_name=_("tell these groups"), blank=True, related_name="events"
    )
    notify_days_before = models.PositiveSmallIntegerField(
        _("tell them this many days before"), default=30
    )
    presented_at = models.ForeignKey(
        Meeting,
        verbose_name=_("presented at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = event_date_order()
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=False, ends_on__gte=F("starts_on")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(window_ends_on__isnull=True)
                | Q(window_starts_on__isnull=True)
                | Q(window_ends_on__gte=F("window_starts_on")),
                name="event_window_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """Events have no page of their own: their place in the list of events."""
        return reverse("event_list") + f"#event-{self.pk}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The event cannot end before it starts.")})

    @property
    def dates_display(self) -> str:
        if self.starts_on:
            return date_range_display(self.starts_on, self.ends_on)
        return self.dates_note or _("dates to be confirmed")

    @property
    def place_display(self) -> str:
        return ", ".join(p for p in (self.city, self.country.name if self.country else "") if p)


class ClaimedDelivery(models.Model):
    """What coordination.claims needs of a row that stands for an email: when to try next,
    who holds it (a claim, renewed before sending), and what became of it. Reminders and the
    outbox's emails are sent by the same claims."""

    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True


class Reminder(ClaimedDelivery):
    """One notification, sent exactly once.

    The unique key (kind, object, recipient, milestone) means a notification is recorded once,
    whatever the number of sweeps. A sweep claims a row (claimed_at, claim_token) before
    sending and marks it sent after; a claim left by a crashed worker expires and is retried.
    """

    kind = models.CharField(_("kind"), max_length=40)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    recipient = models.ForeignKey(
        Person, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="reminders"
    )
    milestone = models.CharField(_("milestone"), max_length=40)
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    failed_at = models.DateTimeField(
        _("given up at"), null=True, blank=True, help_text=_("Bounced, or no usable address.")
    )
    dropped_at = models.DateTimeField(
        _("dropped at"),
        null=True,
        blank=True,
        help_text=_("Not sent: no longer true when its turn came, or its object was deleted."),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            # used by the sweep's claim: rows still to send whose attempt is due
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True, dropped_at__isnull=True),
                name="reminder_pending",
            ),
            # used by the admin's reminder list: its years, months and days of due dates
            models.Index(fields=["due_at"], name="reminder_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "milestone"],
                name="reminder_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.milestone} → {self.recipient}"


class OutboundEmail(ClaimedDelivery):
    """An email that is not a reminder (a confirmation, a staff notice, an invitation, a
    password reset, an error report), kept from the transaction that caused it until it is sent.

    A request only records it; a task queued on commit, or the next sweep, sends it with the
    same claims as the reminders (coordination.outbox). A mail server that is down delays it
    and loses nothing."""

    kind = models.CharField(_("kind"), max_length=40)
    from_email = models.CharField(_("from"), max_length=300, blank=True)
    to = models.JSONField(_("to"), default=list)
    subject = models.TextField(_("subject"))
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    failed_at = models.DateTimeField(
        _("given up at"), null=True, blank=True, help_text=_("Refused, or failed too often.")
    )

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbound_email_pending",
            ),
            # used by the admin's outgoing email list: its years, months and days
            models.Index(fields=["created_at"], name="outbound_email_created"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.subject}"


class PasswordResetRequest(models.Model):
    """A password-reset request that was let through, kept for an hour to count the next ones
    (coordination.password_resets): per account, so no one is flooded with emails, and per
    address, so no one can try many accounts. In the database, so every process counts alike."""

    email = models.EmailField(_("email"))  # as Django compares it: normalised and case-folded
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")
        indexes = [
            # used by the throttle's two counts over the last hour, and by its clean-up
            models.Index(fields=["email", "requested_at"], name="password_reset_by_email"),
            models.Index(fields=["ip_address", "requested_at"], name="password_reset_by_address"),
            models.Index(fields=["requested_at"], name="password_reset_by_time"),
        ]

    def __str__(self):
        return f"{self.email} from {self.ip_address} at {self.requested_at:%Y-%m-%d %H:%M}"


class RecordStamp(models.Model):
    """The record's generation, in one row. Cached fragments of pages carry it in their keys
    (coordination.caching), and every commit that wrote to the record moves it on: in the
    database, so every process and every worker sees the same generation."""

    generation = models.PositiveBigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("record stamp")
        verbose_name_plural = _("record stamps")

    def __str__(self):
        return f"generation {self.generation}"
