"""Word as a door: a version goes out as a .docx (writing) and a member's edited copy comes
back as Markdown (drafts, files)."""
