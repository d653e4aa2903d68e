"""Sends what is due, exactly once: the same sweep Celery beat runs, for cron and the demo."""

from django.core.management.base import BaseCommand

from coordination.reminders import sweep


class Command(BaseCommand):
    help = "Record the reminders that are due and send them (each exactly once)."

    def handle(self, *args, **options):
        totals = sweep()
        if totals.get("skipped"):
            self.stdout.write("Reminders: another sweep is running; it sends what is due.")
            return
        self.stdout.write(
            "Reminders: {due} due, {sent} sent now, {retry} to retry, "
            "{failed} failed, {dropped} dropped, {lost} taken over.".format(**totals)
        )
