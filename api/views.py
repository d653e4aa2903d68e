"""The read-only API: each endpoint lists and shows what its reader may see on the site.

The lists start from the models' `visible_to` and the selectors, the details from the
access helpers the site's pages fetch through: a record the reader may not see is a 404,
as on the site. Every endpoint is GET only; anything else is a 405."""

from django.db.models import F, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from coordination import access, selectors
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

from . import filters, serializers


class IsMember(permissions.BasePermission):
    """The members' pages' rule (access.require_member): an account in no group gets a 403."""

    def has_permission(self, request, view):
        access.require_member(request.user)
        return True


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, IsMember]
    lookup_value_regex = r"\d+"
    detail_serializer_class = None  # a detail that says more than its list's rows

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_object(self):
        """The record through the site's access helper (`fetch`), never the filtered list: a
        detail answers the same whatever the query string says."""
        record = self.fetch(self.request.user, self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, record)
        return record

    def fetch(self, user, key):
        return get_object_or_404(self.get_queryset(), **{self.lookup_field: key})


@extend_schema_view(
    list=extend_schema(summary=_("Meetings of the reader's groups")),
    retrieve=extend_schema(summary=_("A meeting, with its agenda, decisions and action points")),
)
class MeetingViewSet(ReadOnlyViewSet):
    queryset = Meeting.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.MeetingSerializer
    detail_serializer_class = serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilter

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("group")
            .order_by(F("starts_on").desc(nulls_last=True), "-pk")
        )

    def fetch(self, user, key):
        meeting = access.get_meeting_for_user(user, key)
        items = ActionItem.objects.visible_to(user).prefetch_related(*ActionItem.owners_prefetch())
        prefetch_related_objects(
            [meeting],
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agenda_item", "adopts_version").order_by(
                    "order", "pk"
                ),
            ),
            Prefetch(
                "action_items",
                queryset=items.order_by("order", "pk"),
                to_attr="visible_action_items",
            ),
        )
        return meeting


def _versions_newest_first() -> Prefetch:
    """A document's versions as its list row and its detail show them."""
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.with_consultations_close().order_by("-number"),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Documents of the reader's groups, with their versions")),
    retrieve=extend_schema(summary=_("A document, with its versions")),
)
class DocumentViewSet(ReadOnlyViewSet):
    queryset = Document.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.DocumentSerializer
    filterset_class = filters.DocumentFilter

    def get_queryset(self):
        return (
            Document.objects.visible_to(self.request.user)
            .select_related("owner_group")
            .prefetch_related(_versions_newest_first())
            .order_by("owner_group__name", "title", "pk")
        )

    def fetch(self, user, key):
        document = access.get_document_for_user(user, key)
        prefetch_related_objects([document], _versions_newest_first())
        return document


@extend_schema_view(
    list=extend_schema(summary=_("Versions of the documents the reader may see")),
    retrieve=extend_schema(summary=_("A version, with its text")),
)
class VersionViewSet(ReadOnlyViewSet):
    queryset = DocumentVersion.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.VersionSerializer
    filterset_class = filters.VersionFilter

    def get_queryset(self):
        """A version is seen by whoever sees its document (access.get_version_for_user)."""
        documents = Document.objects.visible_to(self.request.user)
        return (
            DocumentVersion.objects.with_consultations_close()
            .filter(document__in=documents.values("pk"))
            .select_related("document")
            .order_by("-created_at", "-pk")
        )


@extend_schema_view(
    list=extend_schema(summary=_("Action items the reader may see")),
    retrieve=extend_schema(summary=_("An action item")),
)
class ActionItemViewSet(ReadOnlyViewSet):
    queryset = ActionItem.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.ActionItemSerializer
    filterset_class = filters.ActionItemFilter

    def get_queryset(self):
        return (
            ActionItem.objects.visible_to(self.request.user)
            .select_related("meeting__group")
            .with_illustrative_status()
            .prefetch_related(*ActionItem.owners_prefetch())
            .order_by(*ActionItem.DUE_ORDER)
        )

    def fetch(self, user, key):
        return access.get_action_item_for_user(user, key)


@extend_schema_view(
    list=extend_schema(summary=_("Consultations of the reader's groups")),
    retrieve=extend_schema(summary=_("A consultation, with the comments the reader may see")),
)
class ConsultationViewSet(ReadOnlyViewSet):
    queryset = Consultation.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.ConsultationSerializer
    detail_serializer_class = serializers.ConsultationDetailSerializer
    filterset_class = filters.ConsultationFilter

    def get_queryset(self):
        return (
            Consultation.objects.visible_to(self.request.user)
            .select_related("version__document", "audience")
            .order_by("-closes_at", "-pk")
        )

    def fetch(self, user, key):
        return access.get_consultation_for_user(user, key)

    def retrieve(self, request, *args, **kwargs):
        consultation = self.get_object()
        user = request.user
        comments = (
            Comment.objects.visible_to(user, consultation)
            .select_related("author__organisation")
            .order_by("created_at", "pk")
        )
        context = {
            **self.get_serializer_context(),
            "comments": comments,
            "shows_dispositions": consultation.shows_dispositions_to(user),
        }
        return Response(self.get_serializer(consultation, context=context).data)


@extend_schema_view(
    list=extend_schema(summary=_("Pathfinder countries the reader may see")),
    retrieve=extend_schema(summary=_("A pathfinder country, by its ISO code")),
)
class PathfinderCountryViewSet(ReadOnlyViewSet):
    queryset = PathfinderCountry.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.PathfinderCountrySerializer
    filterset_class = filters.PathfinderCountryFilter
    lookup_field = "country"
    lookup_value_regex = r"[A-Za-z]{2}"

    def get_queryset(self):
        countries = PathfinderCountry.objects.select_related(
            "focal_point", "resident_coordinator"
        ).order_by("country")
        return selectors.pathfinders_visible_to(self.request.user, countries)

    def fetch(self, user, key):
        return get_object_or_404(self.get_queryset(), country=key.upper())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["sees_internals"] = selectors.sees_pipeline_internals(self.request.user)
        return context


@extend_schema_view(
    list=extend_schema(summary=_("Events told to the reader's groups, or to every member")),
    retrieve=extend_schema(summary=_("An event")),
)
class EventViewSet(ReadOnlyViewSet):
    queryset = Event.objects.none()  # the schema's model; get_queryset has the rules
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter

    def get_queryset(self):
        return (
            selectors.events_visible_to(self.request.user)
            .prefetch_related("notify_groups")
            .order_by(F("starts_on").desc(nulls_last=True), "-pk")
        )


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files (the sidecar), its start-up script from a
    URL of its own and its page with no inline style: the site's CSP holds on it."""

    template_name = "api/swagger_ui.html"
