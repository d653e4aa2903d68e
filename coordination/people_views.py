"""The secretariat's pages for bringing people in: one page to invite a person into their
groups, and the invitation's state afterwards."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import access, services
from .forms import PersonInviteForm
from .models import Group


@login_required
def person_invite(request):
    access.require_secretariat(request.user)
    form = PersonInviteForm(
        request.POST or None, groups=Group.objects.all(), initial={"language": get_language()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create_and_invite(
                full_name=data["full_name"],
                email=data["email"],
                organisation=data["organisation"],
                position=data["position"],
                memberships=form.memberships(),
                language=data["language"],
                invited_by=request.user,
            )
        except services.InvitationError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is recorded; it goes out within a minute.")
                % {"email": person.email},
            )
            return redirect("person_invited", pk=person.pk)
    return render(request, "coordination/person_invite.html", {"form": form})


@login_required
def person_invited(request, pk):
    person = access.get_person_for_user(request.user, pk)
    return render(
        request,
        "coordination/person_invited.html",
        {
            "person": person,
            "memberships": person.memberships.select_related("group"),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )
