"""Which section of the navbar a page belongs to, from its URL name: the navbar marks that
section's link as the current page. A page whose name matches no prefix marks none."""

# Longest prefixes first: the pipeline's pages are "pathfinder_…" too.
SECTION_PREFIXES = (
    ("pathfinder_board", "pipeline"),
    ("pathfinder_triage", "pipeline"),
    ("pathfinder", "pathfinders"),
    ("workshop", "pathfinders"),
    ("roadmap", "pathfinders"),
    ("dashboard", "dashboard"),
    ("person_", "dashboard"),  # “Invite a person” starts from the dashboard
    ("meeting", "meetings"),
    ("group_meetings", "meetings"),
    ("annex", "meetings"),
    ("action_item", "action_items"),
    ("action_group", "action_groups"),
    ("document", "documents"),
    ("version", "documents"),
    ("consultation", "documents"),
    ("comment", "documents"),
    ("no_comments", "documents"),
    ("dispositions", "documents"),
    ("matrix", "documents"),
    ("event", "events"),
    ("preferences", "account"),
    ("password_change", "account"),
    ("interest", "interest"),
    ("partner", "partner"),
    ("login", "login"),
)

# The sections the navbar keeps under “More”, and under the account menu.
MORE_SECTIONS = frozenset({"action_groups", "events"})


def section_of(url_name: str | None) -> str | None:
    if not url_name:
        return None
    return next(
        (section for prefix, section in SECTION_PREFIXES if url_name.startswith(prefix)), None
    )
