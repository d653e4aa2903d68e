"""Word as a door: drafts imported from .docx, versions and the comment matrix exported to it,
and members' Word comments taken in as their comments."""
