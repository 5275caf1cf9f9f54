"""`jigsaw demo`: load the Westbridge demo partnership, list its sign-ins, show a TOTP code.

jigsaw demo                 load it (idempotent: a second run changes nothing)
jigsaw demo sign-ins        the demo accounts, the shared password, how to get a code
jigsaw demo code EMAIL      the current 6-digit code for one demo account
"""

import time
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from jigsaw.accounts.models import User
from jigsaw.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo partnership (Westbridge), list its sign-ins or show a sign-in code."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="load", choices=("load", "sign-ins", "code"))
        parser.add_argument("email", nargs="?", help="a demo account's e-mail address (for code)")

    def handle(self, *args, action: str, email: str | None, **options):
        if action == "code":
            self.code(email)
        elif email:
            raise CommandError(f"'jigsaw demo {action}' takes no e-mail address")
        elif action == "sign-ins":
            self.sign_ins()
        else:
            self.load()

    def load(self) -> None:
        from jigsaw.demo.load import load_demo
        from jigsaw.demo.partnership import DemoConflict

        started = time.monotonic()
        try:
            summary = load_demo()
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        took = time.monotonic() - started
        if summary.first_load:
            self.stdout.write(
                f"Loaded the Westbridge demo partnership in {took:.1f} s: "
                f"{summary.organisations} organisations, {summary.users} accounts, "
                f"{summary.people} people held, {summary.relationships} relationships, "
                f"{summary.entries} chronology entries ({summary.concerns} concerns)."
            )
        elif summary.added_anything:
            counts = {name: value for name, value in asdict(summary).items() if name != "first_load" and value}
            added = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
            self.stdout.write(f"The demo partnership was already loaded; added what was missing: {added}.")
        else:
            self.stdout.write("The demo partnership is already loaded; nothing was missing.")

    def sign_ins(self) -> None:
        from jigsaw.demo.cast import sign_in_rows

        rows = sign_in_rows()
        if not rows:
            raise CommandError("The demo partnership is not loaded: run 'jigsaw demo' first.")
        header = ("E-mail", "Name", "Role", "Organisation")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        self.stdout.write(line.format(*header).rstrip())
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        self.stdout.write("Sign-in code (TOTP), valid for 30 seconds: jigsaw demo code EMAIL")

    def code(self, email: str | None) -> None:
        from jigsaw.demo.mfa import current_code, stored_totp_secret, totp_secret

        if not email:
            raise CommandError("Give a demo account's e-mail address: jigsaw demo code EMAIL")
        email = email.strip().lower()
        try:
            code = current_code(email)
        except ValueError as error:
            raise CommandError(f"{email} is not a demo account: see 'jigsaw demo sign-ins'.") from error
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"{email} is not loaded yet: run 'jigsaw demo' first.")
        if stored_totp_secret(user) != totp_secret(email):
            raise CommandError(
                f"{email} has set up a different authenticator since the demo was loaded, "
                "so its codes cannot be shown here."
            )
        self.stdout.write(code)
