from .navigation import MORE_SECTIONS, section_of


def navigation(request):
    """The current page's section, for the navbar (None on error pages and unnamed ones)."""
    match = getattr(request, "resolver_match", None)
    section = section_of(match.url_name if match else None)
    return {"nav_section": section, "nav_in_more": section in MORE_SECTIONS}
