"""Run daily (cron or a systemd timer): delete stored files left behind by uploads whose entry was never saved."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from jigsaw.chronology.attachments import sweep_orphans


class Command(BaseCommand):
    help = "Delete stored attachment files that no attachment refers to and that are older than a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=int, default=24,
            help="only files last written longer ago than this (default 24); an upload's transaction may be open",
        )

    def handle(self, *args, older_than_hours: int, **options):
        if older_than_hours < 1:
            raise CommandError("--older-than-hours must be at least 1")
        count = sweep_orphans(older_than=timedelta(hours=older_than_hours))
        self.stdout.write(f"Deleted {count} unreferenced file{'s' if count != 1 else ''}.")
