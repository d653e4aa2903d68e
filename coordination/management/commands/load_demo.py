"""Loads the report of the 3rd GCG meeting as demo data; running it again changes nothing."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from coordination import demo
from coordination.checks import DEMO_EMAIL_DOMAIN
from coordination.models import User


class Command(BaseCommand):
    help = "Load the 3rd GCG meeting (Geneva, 28 November 2018) and everything around it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove-accounts",
            action="store_true",
            help=f"Delete the demo accounts (@{DEMO_EMAIL_DOMAIN}) and stop.",
        )

    def handle(self, *args, remove_accounts=False, **options):
        if remove_accounts:
            count, _ = User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).delete()
            self.stdout.write(f"Removed {count} demo account records.")
            return
        with transaction.atomic():
            loaded = demo.load(with_accounts=settings.DEBUG, stdout=self.stdout)
            # Other apps build on coordination; coordination never imports them.
            for config in apps.get_app_configs():
                if config.name == "coordination":
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(coordination=loaded, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo loaded: the 3rd GCG meeting, Geneva, 28 November 2018.")
        )
        if loaded["accounts"]:
            self.stdout.write("Demo accounts (DEBUG only):")
            for email, password, role in loaded["accounts"]:
                self.stdout.write(f"  {email:38} password: {password:22} {role}")
        else:
            self.stdout.write("DEBUG is off: no demo accounts were created.")
