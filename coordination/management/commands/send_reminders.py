"""Sends what is due, exactly once: the same sweep Celery beat runs, for cron and the demo."""

from django.core.management.base import BaseCommand

from coordination.outbox import outbox_flush
from coordination.reminders import sweep


class Command(BaseCommand):
    help = (
        "Send the outbox (confirmations, invitations...), then record the reminders that are "
        "due and send them (each exactly once)."
    )

    def handle(self, *args, **options):
        outbox = outbox_flush()
        self.stdout.write(
            "Outbox: {sent} sent, {retry} to retry, {failed} failed, {lost} taken over.".format(
                **outbox
            )
        )
        totals = sweep()
        if totals.get("skipped"):
            self.stdout.write("Reminders: another sweep is running; it sends what is due.")
            return
        self.stdout.write(
            "Reminders: {due} due, {sent} sent now, {retry} to retry, "
            "{failed} failed, {dropped} dropped, {lost} taken over.".format(**totals)
        )
