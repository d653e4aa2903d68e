"""Thematic action groups, built on coordination.Group: chairs, status and activities."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from coordination.models import Constituency, Group, Organisation, PublicSubmission, choices_check


class ActionGroupStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ActionGroup(models.Model):
    Status = ActionGroupStatus

    group = models.OneToOneField(
        Group,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="action_group",
        limit_choices_to={"kind__in": [Group.Kind.ACTION_GROUP, Group.Kind.FOCAL_POINTS]},
    )
    chair_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("chaired by"), blank=True, related_name="chaired_action_groups"
    )
    run_by_secretariat = models.BooleanField(_("run by the Secretariat"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    work_plan_updated_at = models.DateTimeField(_("work plan updated at"), null=True, blank=True)
    work_plan_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("work plan updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The activities' own history says who changed what; these two only date the latest change.
    history = HistoricalRecords(excluded_fields=["work_plan_updated_at", "work_plan_updated_by"])

    class Meta:
        ordering = ["group__name"]
        verbose_name = _("action group")
        verbose_name_plural = _("action groups")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("status", ActionGroupStatus),
                name="action_group_status_valid",
            ),
        ]

    def __str__(self):
        return self.group.name

    def get_absolute_url(self):
        return reverse("action_group_detail", args=[self.group.slug])

    @property
    def chair_display(self) -> str:
        if self.run_by_secretariat:
            return str(_("Run by the Secretariat"))
        return ", ".join(o.short_name for o in self.chair_organisations.all())

    @property
    def is_chaired_by_un(self) -> bool:
        return any(o.kind == Constituency.UN_AGENCY for o in self.chair_organisations.all())


class ActivityKind(models.TextChoices):
    OUTPUT = "output", _("Output")
    RESEARCH = "research", _("Research")
    PARTNERSHIP = "partnership", _("Partnership or project")
    WORKSHOP = "workshop", _("Workshop or meeting")
    WORK_PLAN = "work_plan", _("Work plan")
    GOVERNANCE = "governance", _("Governance")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("activity status", "Planned")  # feminine in fr, es
    UNDERWAY = "underway", _("Underway")
    DONE = "done", _("Done")


class Activity(models.Model):
    """A work plan item, workshop, output or research paper of an action group."""

    Kind = ActivityKind

    Status = ActivityStatus

    action_group = models.ForeignKey(
        ActionGroup,
        verbose_name=_("action group"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    when = models.CharField(
        _("when"), max_length=100, blank=True, help_text=_("e.g. “early 2019”.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["action_group", "order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("kind", ActivityKind), name="activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=choices_check("status", ActivityStatus), name="activity_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=False, ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_on and not self.starts_on:
            raise ValidationError({"starts_on": _("Give the first day as well as the last.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The activity cannot end before it starts.")})


class PartnerApplication(PublicSubmission):
    """The public application to join the Alliance as a partner; accepted, an Organisation."""

    organisation_name = models.CharField(_("organisation"), max_length=300)
    kind = models.CharField(_("kind and constituency"), max_length=20, choices=Constituency.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    commitment = models.TextField(_("what the organisation commits to"), max_length=5000)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_applications",
    )

    class Meta(PublicSubmission.Meta):
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        indexes = [
            # used by the admin's list, newest first, and its years, months and days
            models.Index(fields=["submitted_at"], name="partner_application_submitted"),
        ]
        constraints = [
            *PublicSubmission.Meta.constraints,
            models.CheckConstraint(
                condition=choices_check("kind", Constituency), name="partner_kind_valid"
            ),
        ]

    def __str__(self):
        return self.organisation_name
