"""Run once each working morning (cron or a systemd timer): chase what is overdue in sharing."""

from django.core.management.base import BaseCommand

from jigsaw.accounts.actor import Actor
from jigsaw.sharing.actions import do_send_reminders


class Command(BaseCommand):
    help = ("E-mail senders whose shared information is unacknowledged past its due date, recipients who have not "
            "acknowledged it, and holders of overdue requests for information. The e-mails hold no personal detail.")

    def handle(self, *args, **options):
        counts = do_send_reminders(acting=Actor.for_system("sharing reminders"))
        self.stdout.write(f"Overdue: {counts['disclosures']} disclosures, {counts['requests']} requests.")
