"""Run every few minutes (cron or a systemd timer): tell deputies about concerns left unread too long."""

from django.core.management.base import BaseCommand

from jigsaw.accounts.actor import Actor
from jigsaw.chronology.actions import do_escalate_overdue


class Command(BaseCommand):
    help = "Escalate unread concerns older than each organisation's limit to its deputy safeguarding leads."

    def handle(self, *args, **options):
        count = do_escalate_overdue(acting=Actor.for_system("escalation"))
        self.stdout.write(f"Escalated {count} unread concern{'s' if count != 1 else ''}.")
