"""The search vectors of the record, one row per searchable record, kept by the database.

On PostgreSQL a trigger on each searched table (migration 0001) writes its row's vector here in
the same statement as the write itself, whichever door wrote: a service, the admin, a
`QuerySet.update()`, a bulk insert, a management command. Nothing in Python keeps them, so
nothing can forget to. On SQLite the table stays empty: search reads the records themselves
(search.records).

The vectors live here, not as columns of the records' own tables, so that no page but this
one reads them (a version's vector is as long as its text, and every SELECT of a model reads
every column), and `coordination` stays unaware of search.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One record's words: `kind` names its table (search.records.KINDS), `object_id` its row."""

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.BigIntegerField(_("object id"))
    vector = SearchVectorField(_("search vector"), null=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            # the triggers' upsert, and the rank of one record (search.records)
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]
        # The GIN indexes (one per kind, partial) are created on PostgreSQL only, by migration
        # 0001: SQLite has no GIN.

    def __str__(self):
        return f"{self.kind} {self.object_id}"
