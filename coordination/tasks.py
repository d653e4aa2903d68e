"""Celery tasks: thin wrappers around the services; exactly-once lives in the database."""

import logging

from celery import shared_task

from .reminders import sweep

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, acks_late=True, ignore_result=True)
def send_reminders(self):
    """Run by beat every few minutes. Two runs at once, or a rerun after a crash, never send
    twice: each reminder is claimed in the database before it goes out."""
    totals = sweep()
    logger.info("Reminder sweep: %s", totals)
    return totals
