"""What the API says of each record: the fields its pages show, read-only.

Nested rows (a meeting's agenda, a consultation's comments) come from querysets the views
filter with the site's rules; a serializer never fetches a related record on its own."""

from rest_framework import serializers

from coordination.models import (
    ActionItem,
    AgendaItem,
    Comment,
    Consultation,
    Decision,
    Document,
    DocumentVersion,
    Event,
    Meeting,
)
from pathfinders.models import PathfinderCountry


class GroupField(serializers.SlugRelatedField):
    """A group by its slug, as the site's addresses name it (and the `group` filter)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", read_only=True, **kwargs)


# --- meetings -------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["order", "numeral", "title", "minutes"]


class DecisionSerializer(serializers.ModelSerializer):
    agenda_item = serializers.SlugRelatedField(slug_field="order", read_only=True)
    adopts_version = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["order", "agenda_item", "text", "adopts_version"]

    def get_adopts_version(self, decision) -> dict | None:
        version = decision.adopts_version
        if version is None:
            return None
        return {"document": version.document_id, "number": version.number}


class ActionItemSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:action-item-detail")
    owners = serializers.CharField(source="owners_display", read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "url", "title", "status", "due_on", "owners"]


class MeetingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    group = GroupField()
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "url", "group", "number", "title", "status", "starts_on", "ends_on",
            "window_starts_on", "window_ends_on", "dates_display", "city", "venue", "country",
        ]  # fmt: skip


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    action_items = ActionItemSummarySerializer(source="visible_action_items", many=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "objective",
            "agenda",
            "decisions",
            "action_items",
        ]


# --- documents and versions -----------------------------------------------------------------


class VersionSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:version-detail")
    status_display = serializers.CharField(read_only=True)

    class Meta:
        model = DocumentVersion
        fields = [
            "id", "url", "number", "status", "status_display", "created_at", "shared_at",
            "is_illustrative",
        ]  # fmt: skip


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:document-detail")
    group = GroupField(source="owner_group")
    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "url", "title", "kind", "group", "description", "created_at", "versions"]


class VersionSerializer(VersionSummarySerializer):
    document = serializers.HyperlinkedRelatedField(view_name="api:document-detail", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [
            *VersionSummarySerializer.Meta.fields,
            "document",
            "document_title",
            "change_summary",
            "text",
        ]


# --- action items ---------------------------------------------------------------------------


class ActionItemSerializer(ActionItemSummarySerializer):
    meeting = serializers.HyperlinkedRelatedField(view_name="api:meeting-detail", read_only=True)
    group = GroupField(source="meeting.group", allow_null=True)
    trigger_action = serializers.HyperlinkedRelatedField(
        view_name="api:action-item-detail", read_only=True
    )
    # Whether the demo set the status shown (the pages mark it so): annotated by the list's
    # queryset and by the detail's access helper (with_illustrative_status).
    status_is_illustrative = serializers.BooleanField(read_only=True)

    class Meta(ActionItemSummarySerializer.Meta):
        fields = [
            *ActionItemSummarySerializer.Meta.fields,
            "details",
            "meeting",
            "group",
            "due_days_after_trigger",
            "trigger",
            "trigger_action",
            "triggered_at",
            "status_is_illustrative",
            "status_changed_at",
            "created_at",
        ]


# --- consultations --------------------------------------------------------------------------


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "paragraph", "author", "organisation", "text", "created_at", "updated_at",
            "disposition", "reply", "answered_in_paragraph", "is_illustrative",
        ]  # fmt: skip

    DISPOSITION_FIELDS = ("disposition", "reply", "answered_in_paragraph")

    def get_organisation(self, comment) -> str:
        organisation = comment.author.organisation
        return organisation.short_name if organisation else ""

    def to_representation(self, comment):
        data = super().to_representation(comment)
        if not self.context.get("shows_dispositions"):
            for name in self.DISPOSITION_FIELDS:
                data.pop(name)
        return data


class ConsultationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:consultation-detail")
    version = serializers.HyperlinkedRelatedField(view_name="api:version-detail", read_only=True)
    document_title = serializers.CharField(source="version.document.title", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    group = GroupField(source="audience")

    class Meta:
        model = Consultation
        fields = [
            "id", "url", "version", "document_title", "version_number", "group", "opens_at",
            "closes_at", "comments_private", "dispositions_published",
        ]  # fmt: skip


class ConsultationDetailSerializer(ConsultationSerializer):
    comments = serializers.SerializerMethodField()

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "comments"]

    def get_comments(self, consultation) -> list[dict]:
        """The comments the view chose (Comment.objects.visible_to)."""
        return CommentSerializer(self.context["comments"], many=True, context=self.context).data


# --- pathfinder countries and events --------------------------------------------------------


class PathfinderCountrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:pathfinder-country-detail", lookup_field="country"
    )
    country = serializers.CharField(source="country.code", read_only=True)
    name = serializers.CharField(source="country.name", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    focus_areas = serializers.ListField(child=serializers.CharField(), read_only=True)
    # what members read: whether there is one; who, for the secretariat
    focal_point_nominated = serializers.SerializerMethodField()
    resident_coordinator_engaged = serializers.SerializerMethodField()
    focal_point = serializers.CharField(source="focal_point.full_name", default=None)
    resident_coordinator = serializers.CharField(
        source="resident_coordinator.full_name", default=None
    )

    class Meta:
        model = PathfinderCountry
        fields = [
            "url", "country", "name", "stage", "stage_display", "stage_changed_at",
            "focus_areas", "request_received_on", "focal_point_nominated",
            "resident_coordinator_engaged",
            # the secretariat's (selectors.sees_pipeline_internals): no page shows members more
            "is_public", "focal_point", "resident_coordinator", "resident_coordinator_engaged_on",
            "notes",
        ]  # fmt: skip

    INTERNALS = (
        "is_public", "focal_point", "resident_coordinator", "resident_coordinator_engaged_on",
        "notes",
    )  # fmt: skip

    def get_focal_point_nominated(self, country) -> bool:
        return country.focal_point_id is not None

    def get_resident_coordinator_engaged(self, country) -> bool:
        return country.resident_coordinator_id is not None

    def to_representation(self, country):
        data = super().to_representation(country)
        if not self.context.get("sees_internals"):
            for name in self.INTERNALS:
                data.pop(name)
        return data


class EventSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail")
    groups = GroupField(source="notify_groups", many=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id", "url", "title", "description", "starts_on", "ends_on", "window_starts_on",
            "window_ends_on", "dates_display", "city", "country", "groups",
        ]  # fmt: skip
