"""Pathfinder countries: from the first expression of interest to the national roadmap."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import sort_key as collation_key
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from coordination.models import (
    Annex,
    Document,
    Person,
    PublicSubmission,
    choices_check,
    date_range_display,
)
from coordination.uploads import validate_annex_file


class Stage(models.TextChoices):
    INTEREST = "interest", _("Interest expressed")
    FORMAL_REQUEST = "formal_request", _("Formal request received")
    FOCAL_POINT = "focal_point", _("Government focal point nominated")
    RC_ENGAGED = "rc_engaged", _("UN Resident Coordinator engaged")
    WORKSHOP_PLANNED = "workshop_planned", _("National workshop planned")
    WORKSHOP_HELD = "workshop_held", _("Workshop held")
    ROADMAP_ADOPTED = "roadmap_adopted", _("Roadmap adopted")
    IMPLEMENTATION = "implementation", _("Implementation")
    PROGRESS_REVIEW = "progress_review", _("Progress review")
    ON_HOLD = "on_hold", _("On hold")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def country_name_key(name: str):
    """Sorts country names as a reader of their language expects: by the Unicode collation
    (pyuca, through django-countries), so “Égypte” comes among the E, not after “Zimbabwe”."""
    return collation_key(("", name))


FOCUS_FIELDS = (
    "focus_child_labour",
    "focus_forced_labour",
    "focus_human_trafficking",
    "focus_modern_slavery",
)


def focus_areas_of(record) -> list[str]:
    """The focus areas a pathfinder or an interest submission names, in the reader's words."""
    return [
        str(record._meta.get_field(name).verbose_name)
        for name in FOCUS_FIELDS
        if getattr(record, name)
    ]


class PathfinderCountryQuerySet(models.QuerySet):
    def public(self):
        """On the public pages (the map and each country's page): what the secretariat marked
        public, unless the country withdrew."""
        return self.filter(is_public=True).exclude(stage=Stage.WITHDRAWN)


class PathfinderCountry(models.Model):
    country = CountryField(_("country"), unique=True)
    stage = models.CharField(
        _("stage"), max_length=30, choices=Stage.choices, default=Stage.INTEREST
    )
    focus_child_labour = models.BooleanField(_("child labour"), default=False)
    focus_forced_labour = models.BooleanField(_("forced labour"), default=False)
    focus_human_trafficking = models.BooleanField(_("human trafficking"), default=False)
    focus_modern_slavery = models.BooleanField(_("modern slavery"), default=False)
    request_letter = models.FileField(
        _("request letter"),
        upload_to="pathfinders/requests/",
        blank=True,
        validators=[validate_annex_file],
        help_text=_("PDF, Office document or image, as for annexes."),
    )
    request_received_on = models.DateField(_("formal request received on"), null=True, blank=True)
    focal_point = models.ForeignKey(
        Person,
        verbose_name=_("government focal point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resident_coordinator = models.ForeignKey(
        Person,
        verbose_name=_("UN Resident Coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resident_coordinator_engaged_on = models.DateField(
        _("Resident Coordinator engaged on"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=False)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)
    history = HistoricalRecords()

    objects = PathfinderCountryQuerySet.as_manager()

    class Meta:
        ordering = ["country"]
        verbose_name = _("pathfinder country")
        verbose_name_plural = _("pathfinder countries")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("stage", Stage), name="pathfinder_stage_valid"
            ),
        ]

    def __str__(self):
        return self.country.name

    def get_absolute_url(self):
        return reverse("pathfinder_detail", args=[self.country.code])

    def get_public_url(self):
        return reverse("pathfinder_public_detail", args=[self.country.code])

    @property
    def is_on_hold(self) -> bool:
        return self.stage == Stage.ON_HOLD

    @property
    def focus_areas(self) -> list[str]:
        return focus_areas_of(self)


class StageChange(models.Model):
    country = models.ForeignKey(
        PathfinderCountry,
        verbose_name=_("pathfinder country"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField(_("from"), max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=30, choices=Stage.choices)
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

    class Meta:
        ordering = ["country", "changed_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.country}: {self.get_to_stage_display()}"


class NationalWorkshopStatus(models.TextChoices):
    # In context: a workshop is masculine in French and Spanish (prévu, previsto).
    PLANNED = "planned", pgettext_lazy("workshop status", "Planned")
    HELD = "held", pgettext_lazy("workshop status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("workshop status", "Cancelled")


class NationalWorkshop(models.Model):
    Status = NationalWorkshopStatus

    country = models.ForeignKey(
        PathfinderCountry,
        verbose_name=_("pathfinder country"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    title = models.CharField(_("title"), max_length=300, default=_("National Strategic Workshop"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    tentative_period = models.CharField(
        _("tentative period"),
        max_length=100,
        blank=True,
        help_text=_("e.g. “2019” or “March 2019”."),
    )
    city = models.CharField(_("place"), max_length=200, blank=True)
    organisers = models.CharField(_("organisers"), max_length=500, blank=True)
    participants_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    report_annex = models.ForeignKey(
        Annex,
        verbose_name=_("report (annex)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "starts_on"]
        verbose_name = _("national workshop")
        verbose_name_plural = _("national workshops")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("status", NationalWorkshopStatus),
                name="workshop_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=False, ends_on__gte=F("starts_on")),
                name="workshop_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(starts_on__isnull=False),
                name="workshop_held_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.country}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The workshop cannot end before it starts.")})
        if self.status == self.Status.HELD and not self.starts_on:
            raise ValidationError({"starts_on": _("A held workshop needs its date.")})

    @property
    def dates_display(self) -> str:
        if self.starts_on:
            return date_range_display(self.starts_on, self.ends_on)
        return self.tentative_period or _("date to be set")


class Roadmap(models.Model):
    country = models.OneToOneField(
        PathfinderCountry,
        verbose_name=_("pathfinder country"),
        on_delete=models.CASCADE,
        related_name="roadmap",
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.SET_NULL, null=True, blank=True
    )
    priorities = models.TextField(_("priorities"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self):
        return _("National roadmap of %(country)s") % {"country": self.country}


class InterestSubmission(PublicSubmission):
    """The public pathfinder interest form, kept as submitted until the secretariat triages it."""

    country = CountryField(_("country"))
    institution = models.CharField(_("ministry or institution"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    focus_child_labour = models.BooleanField(_("child labour"), default=False)
    focus_forced_labour = models.BooleanField(_("forced labour"), default=False)
    focus_human_trafficking = models.BooleanField(_("human trafficking"), default=False)
    focus_modern_slavery = models.BooleanField(_("modern slavery"), default=False)
    message = models.TextField(_("message"), max_length=5000, blank=True)
    consent_to_contact = models.BooleanField(_("consent to be contacted"), default=False)
    pathfinder = models.ForeignKey(
        PathfinderCountry,
        verbose_name=_("pathfinder country"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )

    class Meta(PublicSubmission.Meta):
        verbose_name = _("pathfinder interest submission")
        verbose_name_plural = _("pathfinder interest submissions")
        indexes = [
            # used by the admin's list, newest first, and its years, months and days
            models.Index(fields=["submitted_at"], name="interest_submitted"),
        ]

    def __str__(self):
        return f"{self.country.name} – {self.institution}"

    @property
    def focus_areas(self) -> list[str]:
        return focus_areas_of(self)
