from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from coordination import selectors
from coordination.access import require_member
from coordination.models import Document
from coordination.public_forms import public_form_view

from . import services
from .forms import PartnerApplicationForm
from .models import ActionGroup


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
        ActionGroup.objects.select_related("group").prefetch_related(
            "chair_organisations", "activities"
        ),
        group__slug=slug,
    )
    group = action_group.group
    members = list(
        selectors.group_members_visible_to(user, group).select_related("person__organisation")
    )
    return render(
        request,
        "actiongroups/action_group_detail.html",
        {
            "action_group": action_group,
            "documents": Document.objects.visible_to(user).filter(owner_group=group),
            "members": members,
            # the same rule as the member list: a non-empty list means the user is a member
            "is_member_or_secretariat": user.is_secretariat or bool(members),
        },
    )


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
