from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import selectors
from coordination.access import require_chair, require_member
from coordination.models import Document, DocumentVersion
from coordination.public_forms import public_form_view

from . import services
from .forms import ActivityForm, ActivityStatusForm, PartnerApplicationForm, SummaryForm
from .models import ActionGroup, Activity


@login_required
def action_group_list(request):
    require_member(request.user)
    groups = ActionGroup.objects.select_related("group").prefetch_related(
        "chair_organisations", "activities"
    )
    return render(request, "actiongroups/action_group_list.html", {"action_groups": groups})


@login_required
def action_group_detail(request, slug):
    user = request.user
    require_member(user)
    action_group = get_object_or_404(
        ActionGroup.objects.select_related("group", "work_plan_updated_by").prefetch_related(
            "chair_organisations", "activities"
        ),
        group__slug=slug,
    )
    group = action_group.group
    members = list(
        selectors.group_members_visible_to(user, group).select_related("person__organisation")
    )
    documents = (
        Document.objects.visible_to(user)
        .filter(owner_group=group)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.with_consultations_close().order_by("-number"),
            )
        )
    )
    return render(
        request,
        "actiongroups/action_group_detail.html",
        {
            "action_group": action_group,
            "documents": documents,
            "members": members,
            # the same rule as the member list: a non-empty list means the user is a member
            "is_member_or_secretariat": user.is_secretariat or bool(members),
            "can_update_work_plan": user.is_secretariat or selectors.is_chair(user, group),
        },
    )


# --- the work plan, updated by the group's chairs and the secretariat -----------------------


def get_action_group_to_run(user, slug: str) -> ActionGroup:
    """The action group whose work plan the user updates: its chairs and the secretariat. An
    account without a membership gets a 403 (as on every members' page), an unknown group a
    404, and anyone else, the group's other members too, a 403."""
    require_member(user)
    action_group = get_object_or_404(
        ActionGroup.objects.select_related("group", "work_plan_updated_by"), group__slug=slug
    )
    require_chair(user, action_group.group)
    return action_group


@login_required
def work_plan(request, slug):
    return _work_plan_page(request, get_action_group_to_run(request.user, slug))


def _work_plan_page(request, action_group, *, refused=None):
    """Each activity with its status form; a refused one keeps its choice and error."""
    rows = []
    for activity in action_group.activities.all():
        if refused is not None and refused.activity.pk == activity.pk:
            rows.append((activity, refused))
        else:
            rows.append((activity, ActivityStatusForm(activity=activity)))
    return render(
        request,
        "actiongroups/work_plan.html",
        {"action_group": action_group, "rows": rows},
        status=400 if refused else 200,
    )


@login_required
@require_POST
def activity_status(request, slug, pk):
    action_group = get_action_group_to_run(request.user, slug)
    activity = get_object_or_404(Activity, pk=pk, action_group=action_group)
    form = ActivityStatusForm(request.POST, activity=activity)
    if not form.is_valid():
        return _work_plan_page(request, action_group, refused=form)
    services.activity_set_status(
        activity=activity, status=form.cleaned_data["status"], by=request.user
    )
    messages.success(
        request,
        _("“%(title)s” is now marked “%(status)s”.")
        % {"title": activity.title, "status": activity.get_status_display()},
    )
    return redirect(reverse("work_plan", args=[slug]) + f"#activity-{activity.pk}")


@login_required
def activity_edit(request, slug, pk=None):
    """Adds (pk None) or edits an activity; a refused one comes back as typed, with the error
    at its field."""
    action_group = get_action_group_to_run(request.user, slug)
    if pk is None:
        activity = Activity(action_group=action_group, order=None)
    else:
        activity = get_object_or_404(Activity, pk=pk, action_group=action_group)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.activity_save(activity=form.save(commit=False), by=request.user)
        messages.success(request, _("“%(title)s” is saved.") % {"title": activity.title})
        return redirect(reverse("work_plan", args=[slug]) + f"#activity-{activity.pk}")
    title = _("Edit the activity") if pk else _("Add an activity")
    return _work_plan_form_page(request, action_group, form, title)


@login_required
def summary_edit(request, slug):
    action_group = get_action_group_to_run(request.user, slug)
    form = SummaryForm(request.POST or None, instance=action_group)
    if request.method == "POST" and form.is_valid():
        services.action_group_summary_save(
            action_group=action_group, summary=form.cleaned_data["summary"], by=request.user
        )
        messages.success(request, _("The summary is saved."))
        return redirect("work_plan", slug)
    return _work_plan_form_page(request, action_group, form, _("Where the group stands"))


def _work_plan_form_page(request, action_group, form, title):
    return render(
        request,
        "actiongroups/work_plan_form.html",
        {
            "action_group": action_group,
            "form": form,
            "page_title": f"{title} – {action_group.group.name}",
            "submit_label": _("Save"),
        },
        status=400 if form.is_bound else 200,
    )


# --- the public partner application ---------------------------------------------------------


def partner_form(request):
    """The public partner application: no account needed; what was typed is kept on errors."""
    return public_form_view(
        request,
        form_class=PartnerApplicationForm,
        submit=services.partner_apply,
        template="actiongroups/partner_form.html",
        done="partner_thanks",
    )


def partner_thanks(request):
    return render(request, "actiongroups/partner_thanks.html")
