import uuid
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.db.models import Case, F, When
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from . import consultations, services
from .models import ActionItem, Comment, Group, Meeting, Membership, Organisation, Person, User
from .outbox import email_queue
from .word.comments import comments_from_docx
from .word.drafts import DraftPreview, draft_from_docx
from .word.files import WordFileError


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ActionItemFilterForm(forms.Form):
    """The filters of the action-item list; every choice is limited to what the user may see."""

    mine = forms.BooleanField(label=_("Only mine"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open or in progress")),
            ("all", _("Any status")),
            *ActionItem.Status.choices,
        ],
    )
    group = forms.ModelChoiceField(
        label=_("Group"), required=False, queryset=Group.objects.none(), empty_label=_("Any group")
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        required=False,
        queryset=Meeting.objects.none(),
        empty_label=_("Any meeting"),
    )

    MEETING_CHOICES = 40

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Group.objects.all() if user.is_secretariat else Group.objects.of_user(user)
        self.fields["group"].queryset = groups
        # The latest meetings only: after ten years, 200 options would cost the page more than
        # its 50 items (an older meeting's page lists its action items).
        latest = Meeting.objects.visible_to(user).order_by(
            F("starts_on").desc(nulls_first=True), "-pk"
        )[: self.MEETING_CHOICES]
        self.fields["meeting"].queryset = Meeting.objects.filter(
            pk__in=latest.values("pk")
        ).select_related("group")

    def active_count(self) -> int:
        """How many filters narrow the list (the toggle on a phone says so)."""
        if not (self.is_bound and self.is_valid()):
            return 0
        return sum(1 for value in self.cleaned_data.values() if value)

    def items(self, *, user, today):
        """The list's items for this query, for the page and its exports alike: those the user
        may see, narrowed by the filters; with no query, or a value that is not valid (the page
        says which), the open ones."""
        items = ActionItem.objects.visible_to(user)
        if self.is_bound and self.is_valid():
            items = self.filter(items, user=user, today=today)
        else:
            items = items.open()
        return items.listed()

    def filter(self, queryset, *, user, today):
        data = self.cleaned_data
        if data.get("mine"):
            queryset = queryset.owned_by(user)
        status = data.get("status")
        if status == "all":
            pass
        elif status:
            queryset = queryset.filter(status=status)
        else:
            queryset = queryset.open()
        if data.get("overdue"):
            queryset = queryset.overdue(today)
        if data.get("group"):
            queryset = queryset.filter(meeting__group=data["group"])
        if data.get("meeting"):
            queryset = queryset.filter(meeting=data["meeting"])
        return queryset


class ActionItemStatusForm(forms.Form):
    """The status and its note; the page that follows asks to confirm (see the view)."""

    status = forms.ChoiceField(label=_("New status"), choices=ActionItem.Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you mark it done: what was done, and where to find it."),
    )


def word_file_field():
    return forms.FileField(
        label=_("Or a Word file (.docx)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".docx"}),
        help_text=_(
            "Its text replaces the box's. You see it numbered, with the changes, before "
            "anything is published."
        ),
    )


class WordDraftMixin:
    """A .docx beside the text box, on both doors (the site's form and the admin's).

    The file is converted as soon as the form is made, and its text put in the box: the form
    then shows it, with `preview`, and the publisher saves it as a typed text. A refused
    file leaves the box as it was typed, with the error on the file field.
    """

    imported = None
    _word_error = None

    def take_word_file(self):
        file = self.files.get(self.add_prefix("word_file"))
        if not file:
            return
        try:
            self.imported = draft_from_docx(file)
        except WordFileError as error:
            self._word_error = error
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("text")] = self.imported.text

    def clean_word_file(self):
        if self._word_error:
            raise self._word_error
        return None  # the file itself is not kept: its text is

    def preview(self, document):
        """The converted draft against the version it revises (None without a Word file)."""
        if not self.imported:
            return None
        against = consultations.version_to_start_from(document) if document else None
        return DraftPreview(self.imported, against)


class VersionForm(WordDraftMixin, forms.Form):
    text = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Paragraphs and list items are numbered automatically."),
    )
    change_summary = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    word_file = word_file_field()
    share = forms.BooleanField(
        label=_("Share it for comment now"),
        required=False,
        help_text=_("Action items waiting for this document start their clock."),
    )

    field_order = ["text", "word_file", "change_summary", "share"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.take_word_file()


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M:%S", attrs={"step": "1"}, **kwargs)


class ConsultationForm(forms.Form):
    audience = forms.ModelChoiceField(label=_("Audience"), queryset=Group.objects.all())
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=LocalDateTimeInput(), help_text=_("In your time zone.")
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=LocalDateTimeInput(),
        required=False,
        help_text=_("Empty: 14 days after opening, at the end of that day."),
    )
    comments_private = forms.BooleanField(
        label=_("Comments private to the secretariat"), required=False
    )

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The window must close after it opens."))
        return data


class CommentForm(forms.Form):
    paragraph = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), strip=True
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


class WordCommentsUploadForm(forms.Form):
    word_file = forms.FileField(
        label=_("Your copy of the draft, with your comments (.docx)"),
        widget=forms.FileInput(attrs={"accept": ".docx"}),
        help_text=_(
            "Each Word comment becomes your comment on the paragraph it is anchored in, or on "
            "the whole text when it spans several. You confirm them before they are saved."
        ),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    MAX_COMMENTS = 300

    def clean_word_file(self):
        found = comments_from_docx(self.cleaned_data["word_file"], self.version)
        if len(found.comments) > self.MAX_COMMENTS:
            raise forms.ValidationError(
                _("This file has %(count)d comments; at most %(limit)d are taken at once.")
                % {"count": len(found.comments), "limit": self.MAX_COMMENTS},
                code="too_many",
            )
        for number, comment in enumerate(found.comments, start=1):
            if len(comment.text) > Comment.MAX_LENGTH:
                raise forms.ValidationError(
                    _(
                        "Comment %(number)d (“%(start)s…”) has %(count)d characters; the limit "
                        "is %(limit)d. Shorten it in Word and upload the file again."
                    )
                    % {
                        "number": number,
                        "start": comment.text[:40],
                        "count": len(comment.text),
                        "limit": Comment.MAX_LENGTH,
                    },
                    code="too_long",
                )
        return found


class WordCommentsConfirmForm(forms.Form):
    """The comments found, carried signed from the preview to the confirmation: what the
    member saw is what is saved (each comment still passes every rule of a typed one)."""

    comments = forms.CharField(widget=forms.HiddenInput)

    MAX_AGE = 24 * 60 * 60

    def __init__(self, *args, consultation, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = f"word-comments:{consultation.pk}:{person.pk if person else ''}"

    def sign(self, comments) -> str:
        """The comments, with the one key that makes their confirmation save them once."""
        return signing.dumps(
            {
                "key": str(uuid.uuid4()),
                "comments": [[comment.paragraph, comment.text] for comment in comments],
            },
            salt=self.salt,
            compress=True,
        )

    def clean_comments(self):
        try:
            data = signing.loads(
                self.cleaned_data["comments"], salt=self.salt, max_age=self.MAX_AGE
            )
            return {"key": uuid.UUID(data["key"]), "comments": data["comments"]}
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise forms.ValidationError(
                _("This confirmation has expired. Upload your Word file again."), code="expired"
            ) from error


class CommentEditForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}), strip=True
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=[("", "—"), *Comment.Disposition.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reply = forms.CharField(
        label=_("Reply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        max_length=5000,
    )
    answered_in_paragraph = forms.CharField(
        label=_("Answered in paragraph (next version)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )


class CommentFilterForm(forms.Form):
    """Which comments of a consultation the secretariat works through, and in what order. Drawn
    by hand in the template (it sits above a page of forms that must stay cheap)."""

    WHOLE_TEXT = "whole"
    NO_DISPOSITION = "none"
    UNDISPOSED_FIRST = "undisposed"

    paragraph = forms.ChoiceField(label=_("Paragraph"), required=False)
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        required=False,
        choices=[
            ("", _("Any")),
            (NO_DISPOSITION, _("None yet")),
            *Comment.Disposition.choices,
        ],
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("By paragraph")),
            (UNDISPOSED_FIRST, _("Without a disposition first")),
        ],
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = [
            ("", _("Any")),
            (self.WHOLE_TEXT, _("Whole text")),
            *(
                (p.number, _("Paragraph %(number)s") % {"number": p.number})
                for p in version.paragraphs
                if p.number
            ),
        ]

    @property
    def values(self) -> dict:
        """The filters in force: the valid ones of those given."""
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in self.fields}

    def menus(self) -> list[tuple]:
        """Each filter as (name, label, [(value, label, chosen)...]), for the template."""
        values = self.values
        return [
            (name, field.label, [(v, label, v == values[name]) for v, label in field.choices])
            for name, field in self.fields.items()
        ]

    def filter(self, comments):
        """`comments` narrowed and ordered, by paragraph (2 before 10) unless asked otherwise."""
        values = self.values
        if values["paragraph"]:
            number = "" if values["paragraph"] == self.WHOLE_TEXT else values["paragraph"]
            comments = comments.filter(paragraph=number)
        if values["disposition"]:
            disposition = values["disposition"]
            comments = comments.filter(
                disposition="" if disposition == self.NO_DISPOSITION else disposition
            )
        order = ["paragraph_key", "created_at", "pk"]
        if values["order"] == self.UNDISPOSED_FIRST:
            order.insert(0, Case(When(disposition="", then=0), default=1))
        return comments.order_by(*order)


class PreferencesForm(forms.ModelForm):
    """The language is not here: the navbar's selector is the one place it is chosen."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "time_zone"]
        widgets = {"time_zone": forms.Select(choices=time_zone_choices())}


class NotificationForm(forms.ModelForm):
    """What a person receives, and how: each email as it comes, or a digest."""

    receive = forms.MultipleChoiceField(
        label=_("Send me reminders about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    class Meta:
        model = Person
        fields = ["notification_delivery"]
        widgets = {"notification_delivery": forms.RadioSelect}

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receive"].choices = kinds
        muted = set(self.instance.muted_kinds or [])
        self.fields["receive"].initial = [
            name for name, _label in kinds if name not in muted and "*" not in muted
        ]

    def save(self, commit=True):
        person = super().save(commit=False)
        chosen = set(self.cleaned_data["receive"])
        person.muted_kinds = [
            name for name, _label in self.fields["receive"].choices if name not in chosen
        ]
        if commit:
            person.save(update_fields=["notification_delivery", "muted_kinds"])
        return person


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, except that its email is recorded in the outbox (sent after the
    request, never inside it), in the account's language, with text and HTML."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context["user"]
        email_queue(
            kind="password_reset",
            to=[context["email"]],
            subject=_("Choose a new password for the Alliance 8.7 site"),
            template="registration/password_reset_email",
            context=context,
            language=user.language,
        )


class PersonInviteForm(forms.Form):
    """The secretariat's “Invite a person”. Each group has its own select, labelled with the
    group's name and set to “Not a member”: a role is chosen per group, and nothing needs a
    script."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), help_text=_("The invitation goes to this address; it is also the login.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("No organisation"),
    )
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: [  # each in its own name (“Français”), as the navbar's menu
            (code, capfirst(get_language_info(code)["name_local"]))
            for code, _name in settings.LANGUAGES
        ],
        help_text=_("Of the invitation and of the emails that follow."),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            self.fields[self.group_field_name(group)] = forms.ChoiceField(
                label=group.name,
                required=False,
                choices=[("", _("Not a member")), *Membership.Role.choices],
            )

    @staticmethod
    def group_field_name(group: Group) -> str:
        return f"group-{group.pk}"

    def group_fields(self):
        return [self[self.group_field_name(group)] for group in self.groups]

    def memberships(self) -> list[tuple[Group, str]]:
        roles = (
            (group, self.cleaned_data.get(self.group_field_name(group))) for group in self.groups
        )
        return [(group, role) for group, role in roles if role]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            services.person_email_check(email)
        except services.InvitationError as error:
            raise forms.ValidationError(str(error)) from error
        return email

    def clean(self):
        data = super().clean()
        try:
            services.memberships_check(self.memberships())
        except services.InvitationError as error:
            self.add_error(None, str(error))
        return data
