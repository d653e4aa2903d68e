from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from coordination.models import Document, Membership
from coordination.public_forms import public_form_view

from . import services
from .forms import PartnerApplicationForm
from .models import ActionGroup


@login_required
def action_group_list(request):
    groups = ActionGroup.objects.select_related("group").prefetch_related(
        "chair_organisations", "activities"
    )
    return render(request, "actiongroups/action_group_list.html", {"action_groups": groups})


@login_required
def action_group_detail(request, slug):
    action_group = get_object_or_404(
        ActionGroup.objects.select_related("group").prefetch_related(
            "chair_organisations",
            "activities",
            Prefetch(
                "group__memberships",
                queryset=Membership.objects.select_related("person__organisation"),
            ),
        ),
        group__slug=slug,
    )
    user = request.user
    documents = Document.objects.visible_to(user).filter(owner_group=action_group.group)
    memberships = action_group.group.memberships.all()
    is_member = any(m.person.user_id == user.pk for m in memberships)
    return render(
        request,
        "actiongroups/action_group_detail.html",
        {
            "action_group": action_group,
            "documents": documents,
            "can_see_meetings": user.is_secretariat or is_member,
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
