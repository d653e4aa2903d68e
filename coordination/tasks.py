"""Celery tasks: thin wrappers around the services; exactly-once lives in the database."""

import logging

from celery import shared_task

from .outbox import outbox_flush
from .reminders import sweep

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, acks_late=True, ignore_result=True)
def send_reminders(self):
    """Run by beat every few minutes. Two runs at once, or a rerun after a crash, never send
    twice: each reminder is claimed in the database before it goes out. The outbox is sent
    too: what no worker heard of (the broker was down at the commit) goes out now."""
    outbox = outbox_flush()
    totals = sweep()
    logger.info("Outbox: %s. Reminder sweep: %s", outbox, totals)
    return totals


@shared_task(acks_late=True, ignore_result=True)
def send_outbox():
    """Queued when a transaction that recorded an email commits: sends it within seconds."""
    counts = outbox_flush()
    logger.info("Outbox: %s", counts)
    return counts
