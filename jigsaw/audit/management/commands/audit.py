"""`jigsaw audit`: check the access ledger's chain, or print its latest hash.

jigsaw audit verify     recompute every hash; exit 1 naming the first bad event
jigsaw audit anchor     print {"seq", "hash", "at"} as one JSON line, to keep elsewhere

An anchor kept outside the database (a ticket, an e-mail to the DPO, a printout)
is what shows, later, that no events were removed from the end of the ledger:
`verify` can only prove the chain is whole up to its current head.
"""

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from jigsaw.audit import ledger


class Command(BaseCommand):
    help = "Check the access ledger's hash chain (verify) or print its latest hash (anchor)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,anchor}")
        subcommands.add_parser(
            "verify", help="recompute every event's hash; exit 1 naming the first bad event"
        )
        subcommands.add_parser("anchor", help="print the latest sequence number and hash as JSON")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            self.verify()
        else:
            self.anchor()

    def verify(self) -> None:
        total, _ = ledger.latest_hash()
        with tqdm(
            total=total,
            unit=" events",
            unit_scale=True,
            desc="Checking the ledger",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
        ) as bar:
            result = ledger.verify(progress=bar.update)
        if not result.ok:
            raise CommandError(
                f"Ledger broken at event {result.first_bad_seq}: {result.reason} "
                f"({result.checked} events before it checked and intact).",
                returncode=1,
            )
        self.stdout.write(f"Ledger intact: {result.checked} events checked")

    def anchor(self) -> None:
        seq, hash_ = ledger.latest_hash()
        at = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.stdout.write(json.dumps({"seq": seq, "hash": hash_, "at": at}))
