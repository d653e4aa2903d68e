"""The API tokens section of Preferences: a person makes and revokes their own tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from . import services
from .forms import TokenForm
from .models import token_name


@login_required
@require_POST
@never_cache
def token_create(request):
    """The key is on this page and nowhere else: no redirect, no message, no session holds it."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.token_create(
                user=request.user, name=form.cleaned_data["name"], lifetime=form.lifetime_delta
            )
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "api/token_created.html",
                {"name": form.cleaned_data["name"], "expiry": token.expiry, "key": key},
            )
    return render(request, "api/token_refused.html", {"token_form": form}, status=400)


@login_required
@require_POST
def token_revoke(request, token_key):
    """One's own token; anyone else's is a 404 (the secretariat revokes others in the admin)."""
    token = AuthToken.objects.filter(user=request.user, token_key=token_key).first()
    if token is None:
        raise Http404
    name = token_name(token)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": name})
    return redirect("preferences")
