from collections.abc import Sequence
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AdminTextareaWidget,
    RelatedFieldWidgetWrapper,
)
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import Exists, OuterRef
from django.forms.formsets import DELETION_FIELD_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import caching, consultations, list_exports, reminders, selectors, services
from .forms import WordDraftMixin, word_file_field
from .models import (
    ActionItem,
    ActionItemStatusChange,
    AgendaItem,
    Annex,
    Attendance,
    Comment,
    Consultation,
    Decision,
    Document,
    DocumentVersion,
    Event,
    Group,
    Meeting,
    Membership,
    NoCommentStatement,
    Organisation,
    OutboundEmail,
    Person,
    Reminder,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email", "first_name", "last_name", "is_secretariat", "is_staff", "is_active", "last_login",
    ]  # fmt: skip
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]

    def get_queryset(self, request):
        secretariat = selectors.secretariat_users().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(in_secretariat=Exists(secretariat))

    @admin.display(boolean=True, description=_("secretariat"), ordering="in_secretariat")
    def is_secretariat(self, user):
        """Secretariat powers on the site come from the permission (e.g. the group
        “Secretariat”), not from staff status, which only opens this admin."""
        return user.in_secretariat

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ServiceActions:
    """Admin actions run a service on each selected row; a refusal is shown for that row and
    the others go on, as the site would have refused it."""

    def apply_each(self, request, queryset, operation, *, errors, name, per_row=None, **arguments):
        done = 0
        for row in queryset:
            try:
                operation(
                    **{name: row}, by=request.user, **(per_row(row) if per_row else {}), **arguments
                )
            except errors as error:
                self.message_user(
                    request,
                    _("%(record)s: %(error)s") % {"record": row, "error": error},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d record updated.", "%(count)d records updated.", done)
                % {"count": done},
                messages.SUCCESS,
            )


class PublicSubmissionAdmin(ServiceActions, admin.ModelAdmin):
    """What the public sent stays as sent; triage goes through the actions (the services), so
    each decision records who and when, as on the site. Only the reason is written here."""

    submission_argument = "submission"  # the services' name for it

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id", "reason")]

    def has_add_permission(self, request):
        return False

    def triage_each(self, request, queryset, operation, per_row=None):
        from .public_forms import TriageError

        self.apply_each(
            request,
            queryset,
            operation,
            errors=TriageError,
            name=self.submission_argument,
            per_row=per_row,
        )


def name_date_and_time(widget: forms.SplitDateTimeWidget, label: str) -> None:
    """Django ties a date-and-time field's label to neither of its two boxes: each is named
    (“Created at: date”, “Created at: time”)."""
    date_box, time_box = widget.widgets
    date_box.attrs["aria-label"] = _("%(field)s: date") % {"field": capfirst(label)}
    time_box.attrs["aria-label"] = _("%(field)s: time") % {"field": capfirst(label)}


class NamedDateTimeBoxes:
    """An admin whose model has date-and-time fields."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, forms.SplitDateTimeWidget):
            name_date_and_time(formfield.widget, formfield.label)
        return formfield


class CountryColumn:
    """An admin whose list shows the record's country."""

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        """The name from the code: the admin's own column for a field with choices would build
        the list of the world's 250 countries again on every row."""
        return obj.country.name or None


class PageRows(Sequence):
    """A list page's rows, read from the database when they are first drawn. How many there
    are follows from the count the list has made and the page's slice of the query, so a page
    whose rows are kept rendered reads none (Django counts them, for “0 of 50 selected”, by
    reading them all)."""

    def __init__(self, queryset, count: int):
        self.queryset = queryset
        query = queryset.query
        last = count if query.high_mark is None else min(query.high_mark, count)
        self.count = max(last - query.low_mark, 0)

    @cached_property
    def rows(self) -> list:
        return list(self.queryset)

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)


class RowsOnDemandChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if not self.list_editable:  # its formset reads the rows as a queryset
            self.result_list = PageRows(self.result_list, self.result_count)


class ListAtVolume:
    """A list of thousands of records: its rows, pagination, filters, date drill-down and the
    navigation beside them are kept rendered (`{% kept %}` in templates/admin/change_list.html,
    coordination.caching) for each user and query string until the record changes; the view
    still counts the rows, and reads a page's rows only to draw them. A column drawn from a
    table whose writes leave the record's generation alone (reminders, the outbox) must be
    named by `list_vary`."""

    list_kept_until_change = True

    def get_changelist(self, request, **kwargs):
        return RowsOnDemandChangeList

    def action_checkbox(self, obj):
        """Django's own box, drawn without a widget template: most of the time of a list's
        rows went to fifty checkbox widgets."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def list_vary(self, name: str, cl) -> tuple:
        """What else the piece `name` of the list `cl` shows, beyond the record."""
        return ()


class RelatedChoicesKept(admin.RelatedFieldListFilter):
    """A filter on a related record (every meeting, every group): Django reads its choices in
    the view, to know whether it has any, even when the filters drawn are kept; they are read
    once per generation of the record instead."""

    def field_choices(self, field, request, model_admin):
        return caching.kept(
            request,
            f"admin-choices:{model_admin.opts.label_lower}:{self.field_path}",
            (),
            lambda: self.read_choices(field, request, model_admin),
        )

    def read_choices(self, field, request, model_admin):
        return super().field_choices(field, request, model_admin)


class MeetingFilter(RelatedChoicesKept):
    """A meeting is named after its group (“3rd GCG meeting”): the choices load the groups
    with the meetings, one query for the list rather than one per meeting."""

    def read_choices(self, field, request, model_admin):
        meetings = Meeting.objects.select_related("group")
        if ordering := self.field_admin_ordering(field, request, model_admin):
            meetings = meetings.order_by(*ordering)
        return [(meeting.pk, str(meeting)) for meeting in meetings]


class MeetingChoices:
    """An admin whose form chooses a meeting: the choices load their groups with them."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Meeting and "queryset" not in kwargs:
            kwargs["queryset"] = Meeting.objects.select_related("group")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChoicesReadOnce(BaseChoiceIterator):
    """A select's choices read from the database once for all the rows of a table, which share
    them; Django reads them again for each row."""

    def __init__(self, choices):
        self.choices = choices

    @cached_property
    def read(self) -> list:
        return list(iter(self.choices))  # not list(choices), which counts them first

    def __iter__(self):
        return iter(self.read)


class LabelledRowsFormSet(forms.BaseInlineFormSet):
    """A table row's inputs have no <label> of their own: each is named after its column and
    its row (“Status – Sam Okafor”), the delete box too, so a screen reader says what a
    control changes."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = self.row_name(form, index)
        for name, field in form.fields.items():
            widget = field.widget
            while isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget  # a copied wrapper's attrs are still the original's
            if widget.is_hidden:
                continue
            column = _("Delete") if name == DELETION_FIELD_NAME else field.label
            widget.attrs["aria-label"] = _("%(column)s – %(row)s") % {
                "column": capfirst(column),
                "row": row,
            }

    def row_name(self, form, index) -> str:
        if form.instance.pk:
            return Truncator(str(form.instance)).chars(60)
        if index is None:  # the template the “Add another” button copies
            return _("new row")
        return _("new row %(number)d") % {"number": index - self.initial_form_count() + 1}


class TableInline(admin.TabularInline):
    """One line per record, named for screen readers. The links a select offers (change,
    delete, view the chosen record) belong on the record's own page, not in every row; only
    `addable_fields` keep “add another” (a person who came to the meeting, say)."""

    formset = LabelledRowsFormSet
    extra = 0
    addable_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
            widget.can_add_related = widget.can_add_related and db_field.name in self.addable_fields
        return formfield


@admin.register(Organisation)
class OrganisationAdmin(CountryColumn, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country_name"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]


class MembershipInline(TableInline):
    model = Membership
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "group")  # rows' names

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "group":
            formfield.choices = ChoicesReadOnce(formfield.choices)
        return formfield


class InvitationFilter(admin.SimpleListFilter):
    """Who has not been invited, who has yet to accept, who has: the states of the column."""

    title = _("invitation")
    parameter_name = "invitation"

    def lookups(self, request, model_admin):
        return Person.InvitationStatus.choices

    def queryset(self, request, queryset):
        if self.value() in Person.InvitationStatus.values:
            return queryset.filter(invitation=self.value())
        return queryset


@admin.register(Person)
class PersonAdmin(ListAtVolume, SimpleHistoryAdmin):
    """People are invited from the site's “Invite a person” page (person, groups and invitation
    in one form) or, when already listed here, by the action. What a person chose on their
    Preferences is theirs: shown, not changed, here."""

    list_display = [
        "full_name",
        "organisation",
        "position",
        "email",
        "invitation",
        "email_problem",
    ]
    list_filter = [
        InvitationFilter,
        "organisation__kind",
        ("memberships__group", RelatedChoicesKept),
    ]
    search_fields = ["full_name", "email", "organisation__name", "organisation__acronym"]
    list_select_related = ["organisation", "user"]
    list_per_page = 50
    autocomplete_fields = ["organisation", "user"]
    inlines = [MembershipInline]
    actions = ["invite", "calendar_key_rotate"]
    readonly_fields = ["invitation", "notification_delivery", "notifications_off", "last_digest_at"]
    fieldsets = (
        (None, {"fields": ["honorific", "full_name", "position", "email", "organisation"]}),
        (_("Account"), {"fields": ["user", "invitation"]}),
        (
            _("Notifications (the person's choice, on their Preferences)"),
            {
                "classes": ["collapse"],
                "fields": ["notification_delivery", "notifications_off", "last_digest_at"],
            },
        ),
    )
    add_fieldsets = (
        (None, {"fields": ["honorific", "full_name", "position", "email", "organisation"]}),
        (_("Account"), {"fields": ["user"]}),
    )

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_queryset(self, request):
        failed = Reminder.objects.filter(recipient=OuterRef("pk"), failed_at__isnull=False)
        return (
            super()
            .get_queryset(request)
            .with_invitation_status()
            .annotate(email_failed=Exists(failed))
        )

    def changelist_view(self, request, extra_context=None):
        """The list links to the site's “Invite a person” page, for those who may use it."""
        if request.user.is_secretariat:
            extra_context = {**(extra_context or {}), "invite_url": reverse("person_invite")}
        return super().changelist_view(request, extra_context)

    def list_vary(self, name, cl):
        """A reminder that bounces is the outbox's bookkeeping, which leaves the record's
        generation alone: the page's rows are drawn again when whose email failed changes
        (a query for the page's keys and flags, not its rows)."""
        if name == "results":
            return tuple(cl.result_list.queryset.values_list("pk", "email_failed"))
        return ()

    @admin.display(description=_("invitation"), ordering="invited_at")
    def invitation(self, person):
        return person.invitation_display()

    @admin.display(description=_("notifications turned off"))
    def notifications_off(self, person):
        muted = person.muted_kinds or []
        if "*" in muted:
            return _("All")
        labels = dict(reminders.kind_choices())
        return ", ".join(str(labels.get(kind, kind)) for kind in muted) or _("None")

    @admin.display(boolean=True, description=_("email problem"), ordering="email_failed")
    def email_problem(self, person):
        """A reminder to this address bounced or could not be sent: shown to the secretariat."""
        return person.email_failed

    @admin.action(description=_("Invite the selected people to the site"), permissions=["change"])
    def invite(self, request, queryset):
        invited = 0
        for person in queryset:
            if not person.email:
                self.message_user(
                    request,
                    _("%(person)s has no email address.") % {"person": person},
                    messages.ERROR,
                )
                continue
            services.person_invite(person=person, invited_by=request.user)
            invited += 1
        if invited:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation recorded; it goes out within a minute.",
                    "%(count)d invitations recorded; they go out within a minute.",
                    invited,
                )
                % {"count": invited},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Give the selected people a new calendar address"), permissions=["change"]
    )
    def calendar_key_rotate(self, request, queryset):
        """For an address shared by mistake: the old one stops working at once."""
        people = list(queryset)
        for person in people:
            services.calendar_key_rotate(person=person)
        self.message_user(
            request,
            ngettext(
                "%(count)d person has a new calendar address; the old one no longer works.",
                "%(count)d people have a new calendar address; the old ones no longer work.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]


class AgendaItemInline(TableInline):
    """The agenda in a few lines; each item's minutes are written on its own page."""

    model = AgendaItem
    fields = ["order", "title", "minutes_start"]
    readonly_fields = ["minutes_start"]
    show_change_link = True

    @admin.display(description=_("minutes"))
    def minutes_start(self, item):
        return Truncator(item.minutes).chars(50) or _("Not written yet")


class AttendanceInline(TableInline):
    model = Attendance
    autocomplete_fields = ["person", "organisation"]
    addable_fields = ("person", "organisation")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organisation")


class OwnAgendaItemsMixin:
    """Inside a meeting, the agenda-item choices are that meeting's items only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = AgendaItem.objects.filter(
                meeting_id=request.resolver_match.kwargs["object_id"]
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agenda_item":
            formfield.choices = ChoicesReadOnce(formfield.choices)
        return formfield


class DecisionForm(forms.ModelForm):
    """A decision that adopted a version keeps it: moving it would leave the first one
    adopted. Decisions are adopted through the service (see the admins' save methods)."""

    class Meta:
        model = Decision
        fields = ["meeting", "agenda_item", "order", "text", "adopts_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.adopts_version_id:
            self.fields["adopts_version"].disabled = True

    def clean_adopts_version(self):
        version = self.cleaned_data.get("adopts_version")
        if version and "adopts_version" in self.changed_data:
            try:
                consultations.version_adopt_check(version=version)
            except consultations.ConsultationError as error:
                raise forms.ValidationError(str(error)) from error
        return version


class DecisionInline(OwnAgendaItemsMixin, TableInline):
    model = Decision
    form = DecisionForm
    fields = ["order", "agenda_item", "text", "adopts_version"]
    autocomplete_fields = ["adopts_version"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("adopts_version__document")


class ActionItemInline(OwnAgendaItemsMixin, TableInline):
    """New items start open; their status changes on the action item's own page and by the
    actions of the action items' list (the service records who and when). Owners and relative
    deadlines are set there too."""

    model = ActionItem
    fields = ["order", "title", "agenda_item", "due_on", "status"]
    readonly_fields = ["status"]
    show_change_link = True


class AnnexInline(OwnAgendaItemsMixin, TableInline):
    """Number, title and agenda item; the file or link is chosen on the annex's own page."""

    model = Annex
    fields = ["number", "title", "agenda_item", "source"]
    readonly_fields = ["source"]
    show_change_link = True

    @admin.display(description=_("file or link"))
    def source(self, annex):
        if annex.file:
            return Truncator(Path(annex.file.name).name).chars(30)
        return Truncator(annex.url).chars(30) or _("None yet")


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    """One page for the whole meeting, short enough to take in: agenda, attendance, decisions,
    action points and annexes one line each, details on each record's own page."""

    list_display = ["__str__", "group", "dates", "city", "status"]
    list_filter = ["group", "status"]
    search_fields = ["city", "venue", "objective", "agenda_items__title"]
    list_select_related = ["group"]
    inlines = [AgendaItemInline, AttendanceInline, DecisionInline, ActionItemInline, AnnexInline]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}

    def get_fieldsets(self, request, obj=None):
        """Once the dates are confirmed, the tentative window is history: folded away."""
        tentative = ["collapse"] if obj is not None and obj.starts_on else []
        return (
            (None, {"fields": ["group", ("number", "status"), "objective", "participants_note"]}),
            (_("Place"), {"fields": ["city", "venue", "country", "time_zone"]}),
            (_("Confirmed dates"), {"fields": [("starts_on", "ends_on")]}),
            (
                _("Tentative dates"),
                {
                    "classes": tentative,
                    "fields": [("window_starts_on", "window_ends_on"), "dates_note"],
                },
            ),
        )

    @admin.display(description=_("dates"))
    def dates(self, meeting):
        return meeting.dates_display

    def view_on_site(self, meeting):
        return meeting.get_absolute_url()

    def save_formset(self, request, form, formset, change):
        """Decisions typed here that adopt a version make it the adopted text."""
        super().save_formset(request, form, formset, change)
        if formset.model is Decision:
            for decision in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                if decision.adopts_version_id:
                    consultations.version_adopt(
                        version=decision.adopts_version, decision=decision, by=request.user
                    )


@admin.register(AgendaItem)
class AgendaItemAdmin(MeetingChoices, SimpleHistoryAdmin):
    """An agenda item's minutes, written after the meeting, on a page of their own."""

    list_display = ["__str__", "meeting"]
    list_filter = ["meeting__group", ("meeting", MeetingFilter)]
    search_fields = ["title", "minutes"]
    list_select_related = ["meeting__group"]
    fields = ["meeting", "order", "title", "minutes"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 20})}}

    def get_readonly_fields(self, request, obj=None):
        """An item stays in its meeting: its decisions and action points refer to it."""
        return ["meeting"] if obj is not None else []

    def view_on_site(self, item):
        return item.meeting.get_absolute_url() + f"#{item.anchor}"


class ActionItemStatusChangeInline(admin.TabularInline):
    model = ActionItemStatusChange
    extra = 0
    readonly_fields = [
        "from_status", "to_status", "changed_at", "changed_by", "note", "is_illustrative",
    ]  # fmt: skip
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False


class ActionItemNoteForm(forms.Form):
    """The note every owner reads with the new status (required for “done”)."""

    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, and where to find it."),
    )


class ActionItemAddForm(forms.ModelForm):
    """An item entered with another status than open records that change, with its note.
    The admin gives the form its model and fields."""

    status_note = forms.CharField(
        label=_("note on the status"),
        required=False,
        max_length=500,
        help_text=_("Required for an item entered as done: what was done."),
    )

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status and status != ActionItem.Status.OPEN:
            try:
                services.action_item_status_check(
                    action_item=ActionItem(status=ActionItem.Status.OPEN),
                    status=status,
                    note=data.get("status_note", ""),
                )
            except services.ActionItemError as error:
                self.add_error("status_note" if error.field == "note" else "status", str(error))
        return data


@admin.register(ActionItem)
class ActionItemAdmin(
    ListAtVolume, MeetingChoices, NamedDateTimeBoxes, ServiceActions, SimpleHistoryAdmin
):
    list_display = ["title", "meeting", "due_on", "trigger", "status", "status_changed_at"]
    list_filter = [
        "status",
        ("meeting__group", RelatedChoicesKept),
        ("meeting", MeetingFilter),
    ]
    search_fields = ["title", "details", "trigger"]
    list_select_related = ["meeting__group"]
    date_hierarchy = "due_on"  # indexed, as the list's order is
    list_per_page = 50
    show_full_result_count = False  # a second count of ten years of items, on every page
    autocomplete_fields = [
        "owner_people",
        "owner_organisations",
        "owner_groups",
        "trigger_document",
        "trigger_action",
    ]
    readonly_fields = ["status_changed_at", "status_changed_by", "triggered_at"]
    inlines = [ActionItemStatusChangeInline]
    actions = [
        "mark_open",
        "mark_in_progress",
        "mark_done",
        "mark_dropped",
        "record_trigger",
        "export_csv",
        "export_xlsx",
    ]

    def get_readonly_fields(self, request, obj=None):
        """Once the item exists, its status moves only by the actions (the service): a page
        loaded before an owner marked it done would otherwise set it back."""
        fixed = list(self.readonly_fields)
        return fixed + ["status"] if obj is not None else fixed

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ActionItemAddForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        """A new item entered with another status than open gets that change recorded."""
        new_status = obj.status
        if not change and new_status != ActionItem.Status.OPEN:
            obj.status = ActionItem.Status.OPEN
            super().save_model(request, obj, form, change)
            services.action_item_set_status(
                action_item=obj,
                status=new_status,
                by=request.user,
                note=form.cleaned_data.get("status_note", ""),
            )
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)
        services.action_item_follow(action_item=obj, by=request.user)

    def _set_status(self, request, queryset, status, note=""):
        self.apply_each(
            request,
            queryset.exclude(status=status),
            services.action_item_set_status,
            errors=services.ActionItemError,
            name="action_item",
            status=status,
            note=note,
        )

    @admin.action(description=_("Reopen the selected action items"))
    def mark_open(self, request, queryset):
        self._set_status(request, queryset, ActionItem.Status.OPEN)

    @admin.action(description=_("Mark the selected action items in progress"))
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, ActionItem.Status.IN_PROGRESS)

    @admin.action(description=_("Mark the selected action items done"))
    def mark_done(self, request, queryset):
        """A page of its own asks for the note first, as the site does."""
        form = ActionItemNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._set_status(request, queryset, ActionItem.Status.DONE, form.cleaned_data["note"])
            return None
        return TemplateResponse(
            request,
            "admin/coordination/actionitem/mark_done.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Mark the selected action items done"),
                "opts": self.model._meta,
                "items": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Mark the selected action items dropped"))
    def mark_dropped(self, request, queryset):
        self._set_status(request, queryset, ActionItem.Status.DROPPED)

    @admin.action(description=_("Record the trigger now (fixes relative due dates)"))
    def record_trigger(self, request, queryset):
        self.apply_each(
            request,
            queryset.filter(due_days_after_trigger__isnull=False, triggered_at=None),
            services.action_item_record_trigger,
            errors=services.ActionItemError,
            name="action_item",
        )

    @admin.action(description=_("Export the selected action items as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(queryset, "csv")

    @admin.action(description=_("Export the selected action items as XLSX"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    def _export(self, queryset, extension):
        """The site's export of the action item list, with the selected items as its rows."""
        today = timezone.localdate()
        return list_exports.action_items_file(queryset.listed(), today=today, extension=extension)


class DocumentVersionInline(admin.TabularInline):
    """Versions are listed here; new ones are published through “Document versions”."""

    model = DocumentVersion
    extra = 0
    fields = ["number", "state", "change_summary", "shared_at"]
    readonly_fields = ["number", "state", "change_summary", "shared_at"]
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).with_consultations_close()

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def state(self, version):
        return version.status_display


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "owner_group"]
    list_filter = ["kind", "owner_group"]
    search_fields = ["title"]
    list_select_related = ["owner_group"]
    inlines = [DocumentVersionInline]


class DocumentVersionAddForm(WordDraftMixin, forms.ModelForm):
    """The site's “Publish a new version”: a typed text, or a Word file shown first."""

    word_file = word_file_field()

    class Meta:
        model = DocumentVersion
        fields = ["document", "text", "change_summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.take_word_file()

    @property
    def word_preview(self):
        return self.preview(getattr(self, "cleaned_data", {}).get("document"))

    def clean(self):
        data = super().clean()
        if self.imported:
            if data.get("document"):  # said with the preview, not after it
                try:
                    consultations.version_publish_check(
                        document=data["document"], text=self.imported.text
                    )
                except consultations.ConsultationError as error:
                    self.add_error(None, str(error))
            raise forms.ValidationError(
                _("Check the text taken from the Word file below, then save to publish it."),
                code="word_preview",
            )
        if data.get("document"):
            try:
                consultations.version_publish_check(
                    document=data["document"], text=data.get("text") or ""
                )
            except consultations.ConsultationError as error:
                self.add_error("text", str(error))
        return data


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ServiceActions, SimpleHistoryAdmin):
    list_display = ["__str__", "state", "created_at", "shared_at"]
    list_filter = ["status", "document__kind"]
    search_fields = ["document__title", "text"]
    list_select_related = ["document"]
    fields = [
        "document", "number", "state", "text", "change_summary", "created_at", "created_by",
        "shared_at", "is_illustrative",
    ]  # fmt: skip
    actions = ["share"]
    autocomplete_fields = ["document"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_consultations_close()

    @admin.display(description=_("status"), ordering="status")
    def state(self, version):
        """The status as the site shows it (“Consultation closed on …”): it moves only by
        the services."""
        return version.status_display

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:  # a new version: its number and status follow from the service
            kwargs["form"] = DocumentVersionAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["document", "text", "word_file", "change_summary"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """Number and status follow from the services (publish, share, adopt). Once shared,
        the text is what members commented on, paragraph by paragraph: it stays as it was."""
        if obj is None:
            return []
        fixed = [
            "document", "number", "state", "created_at", "created_by", "shared_at",
            "is_illustrative",
        ]  # fmt: skip
        if obj.status != DocumentVersion.Status.DRAFT:
            fixed += ["text", "change_summary"]
        return fixed

    def save_model(self, request, obj, form, change):
        """New versions are published through the service, so earlier drafts are superseded."""
        if change:
            return super().save_model(request, obj, form, change)
        published = consultations.version_publish(
            document=obj.document, text=obj.text, change_summary=obj.change_summary, by=request.user
        )
        obj.pk, obj.number, obj.status = published.pk, published.number, published.status

    @admin.action(description=_("Share the selected drafts for comment"))
    def share(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            consultations.version_share,
            errors=consultations.ConsultationError,
            name="version",
        )

    def view_on_site(self, version):
        return version.get_absolute_url()


@admin.register(Decision)
class DecisionAdmin(MeetingChoices, SimpleHistoryAdmin):
    form = DecisionForm
    list_display = ["__str__", "meeting", "adopts_version"]
    list_filter = ["meeting__group"]
    search_fields = ["text"]
    list_select_related = ["meeting__group", "adopts_version__document"]
    autocomplete_fields = ["adopts_version"]

    def save_model(self, request, obj, form, change):
        """A decision adopting a version makes it the adopted, final text."""
        super().save_model(request, obj, form, change)
        if obj.adopts_version_id and "adopts_version" in form.changed_data:
            consultations.version_adopt(version=obj.adopts_version, decision=obj, by=request.user)


@admin.register(Annex)
class AnnexAdmin(MeetingChoices, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "file", "url"]
    list_filter = ["meeting__group"]
    search_fields = ["title"]
    list_select_related = ["meeting__group"]


@admin.register(Event)
class EventAdmin(MeetingChoices, SimpleHistoryAdmin):
    list_display = ["title", "dates", "city", "notify_days_before"]
    search_fields = ["title", "city"]
    filter_horizontal = ["notify_groups"]

    @admin.display(description=_("dates"))
    def dates(self, event):
        return event.dates_display


class ReadOnlyInline:
    """A record others write (members, the services): shown, never added or changed here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommentInline(ReadOnlyInline, admin.StackedInline):
    """Members write comments on the site; the secretariat disposes on each comment's page."""

    model = Comment
    fields = [
        "author", "paragraph", "text", "withdrawn_at", "disposition", "reply", "disposed_by",
    ]  # fmt: skip
    show_change_link = True


class NoCommentStatementInline(ReadOnlyInline, admin.TabularInline):
    model = NoCommentStatement
    fields = ["person", "stated_at"]


class ConsultationAddForm(forms.ModelForm):
    """Opening a consultation in the admin is the same operation as on the site."""

    closes_at = forms.SplitDateTimeField(
        label=_("closes at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Empty: 14 days after opening, at the end of that day."),
    )

    class Meta:
        model = Consultation
        fields = ["version", "audience", "opens_at", "closes_at", "comments_private"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_date_and_time(self.fields["closes_at"].widget, self.fields["closes_at"].label)
        self.fields["version"].queryset = DocumentVersion.objects.filter(
            status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.SHARED]
        )

    def clean(self):
        data = super().clean()
        version, audience, opens_at = (data.get(n) for n in ("version", "audience", "opens_at"))
        if version and audience and opens_at:
            data["closes_at"] = data.get("closes_at") or consultations.default_closes_at(opens_at)
            try:
                consultations.consultation_open_check(
                    version=version,
                    audience=audience,
                    opens_at=opens_at,
                    closes_at=data["closes_at"],
                )
            except consultations.ConsultationError as error:
                self.add_error("version", str(error))
        return data


@admin.register(Consultation)
class ConsultationAdmin(NamedDateTimeBoxes, ServiceActions, SimpleHistoryAdmin):
    list_display = ["__str__", "opens_at", "closes_at", "comments_private"]
    list_filter = ["audience"]
    list_select_related = ["version__document", "audience"]
    autocomplete_fields = ["version"]
    inlines = [CommentInline, NoCommentStatementInline]
    actions = ["close_now", "publish_dispositions"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ConsultationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ConsultationAddForm.Meta.fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """The window is a promise to members, and what they were asked about; it changes only
        through the services (“Close now”)."""
        if obj is None:
            return []
        return [
            "version", "audience", "opens_at", "closes_at", "comments_private",
            "dispositions_published", "created_at", "created_by",
        ]  # fmt: skip

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        opened = consultations.consultation_open(
            version=form.cleaned_data["version"],
            audience=form.cleaned_data["audience"],
            opens_at=form.cleaned_data["opens_at"],
            closes_at=form.cleaned_data["closes_at"],
            comments_private=form.cleaned_data["comments_private"],
            by=request.user,
        )
        obj.pk, obj.version, obj.closes_at = opened.pk, opened.version, opened.closes_at

    def _each(self, request, queryset, operation, **arguments):
        self.apply_each(
            request,
            queryset,
            operation,
            errors=consultations.ConsultationError,
            name="consultation",
            **arguments,
        )

    @admin.action(description=_("Close the selected consultations now"))
    def close_now(self, request, queryset):
        self._each(request, queryset, consultations.consultation_close)

    @admin.action(description=_("Publish the dispositions to members"))
    def publish_dispositions(self, request, queryset):
        self._each(request, queryset, consultations.dispositions_publish, published=True)

    def get_actions(self, request):
        """No bulk delete: a consultation that has opened is part of the record."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        """One that has not opened yet (nobody could comment) may be deleted, as a cancel."""
        if obj is not None and obj.has_opened(timezone.now()):
            return False
        return super().has_delete_permission(request, obj)

    def view_on_site(self, consultation):
        return consultation.get_absolute_url()


class CommentDisposeForm(forms.ModelForm):
    """The secretariat's answer, checked as the site checks it."""

    class Meta:
        model = Comment
        fields = ["disposition", "reply", "answered_in_paragraph"]

    def clean(self):
        data = super().clean()
        try:
            data["answered_in_paragraph"] = consultations.comment_dispose_check(
                comment=self.instance,
                disposition=data.get("disposition") or "",
                answered_in_paragraph=data.get("answered_in_paragraph") or "",
            )
        except consultations.ConsultationError as error:
            field = "disposition" if not data.get("disposition") else "answered_in_paragraph"
            self.add_error(field, str(error))
        return data


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    """A member's words stay theirs: only the disposition is written here, by the service."""

    form = CommentDisposeForm
    list_display = ["__str__", "author", "consultation", "paragraph", "disposition", "disposed_by"]
    list_filter = ["disposition", "consultation__audience"]
    search_fields = ["text", "reply", "author__full_name"]
    list_select_related = [
        "author", "consultation__version__document", "consultation__audience", "disposed_by",
    ]  # fmt: skip
    fields = [
        "consultation", "author", "paragraph", "text", "created_at", "updated_at", "revision",
        "withdrawn_at", "disposition", "reply", "answered_in_paragraph", "disposed_at",
        "disposed_by", "is_illustrative",
    ]  # fmt: skip
    readonly_fields = [
        "consultation", "author", "paragraph", "text", "created_at", "updated_at", "revision",
        "withdrawn_at", "disposed_at", "disposed_by", "is_illustrative",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Saving an unchanged page keeps who disposed and when."""
        if not form.has_changed():
            return
        consultations.comment_dispose(
            comment=obj,
            disposition=form.cleaned_data["disposition"],
            reply=form.cleaned_data["reply"],
            answered_in_paragraph=form.cleaned_data["answered_in_paragraph"],
            by=request.user,
        )
        obj.refresh_from_db()

    def view_on_site(self, comment):
        return reverse("consultation_manage", args=[comment.consultation_id]) + (
            f"#disposition-{comment.pk}"
        )


class DeliveryStateFilter(admin.SimpleListFilter):
    """Waiting, sent, given up (and, for reminders, dropped): what the outbox's rows say."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = [("failed", _("Failed")), ("pending", _("Waiting")), ("sent", _("Sent"))]
        if self._has_dropped(model_admin.model):
            states.append(("dropped", _("Dropped (no longer true)")))
        return states

    @staticmethod
    def _has_dropped(model) -> bool:
        return any(field.name == "dropped_at" for field in model._meta.fields)

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        if self.value() == "dropped":
            return queryset.filter(dropped_at__isnull=False)
        if self.value() == "pending":
            pending = queryset.filter(sent_at__isnull=True, failed_at__isnull=True)
            if self._has_dropped(queryset.model):
                pending = pending.filter(dropped_at__isnull=True)
            return pending
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written only by the senders: read here, never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """The reminders' own record, written only by the sweep."""

    list_display = [
        "kind", "milestone", "recipient", "due_at", "sent_at", "failed_at", "dropped_at",
        "attempts",
        "last_error",
    ]  # fmt: skip
    list_filter = [DeliveryStateFilter, "kind", "milestone"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__full_name", "recipient__email"]
    date_hierarchy = "due_at"  # indexed
    show_full_result_count = False  # every reminder ever sent: counted once per page is enough


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """Confirmations, notices, invitations, resets and error reports: what went out, what waits
    for the mail server, what was refused."""

    list_display = ["kind", "subject", "recipients", "created_at", "sent_at", "failed_at"]
    list_display += ["attempts", "last_error"]
    list_filter = [DeliveryStateFilter, "kind"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"  # indexed
    show_full_result_count = False  # every email ever sent: counted once per page is enough
    exclude = ["html"]  # the text part says the same, and is what the admin can show safely

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to)
