from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from coordination import access

from . import records
from .forms import SearchForm


@login_required
def search(request):
    """One box for the whole record, limited to what the reader may see (search.records)."""
    access.require_member(request.user)
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_valid():
        results = records.search(
            request.user, form.cleaned_data["q"], kind=form.cleaned_data["kind"]
        )
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "results": results,
            "kind": form.cleaned_data.get("kind", "") if form.is_bound else "",
            "per_kind": records.PER_KIND,
            "per_kind_alone": records.PER_KIND_ALONE,
        },
    )
