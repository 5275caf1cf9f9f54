"""`jigsaw link train | run | review-stats | bench`: the operator's side of identity resolution."""

import json
import runpy
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from jigsaw.linkage import runs
from jigsaw.linkage.model_format import OUT_OF_DATE

BENCH = Path(__file__).resolve().parents[4] / "bench" / "linkage.py"


class Command(BaseCommand):
    help = "Train the linkage model on the partnership's records, link them, report on reviews, or run the bench."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="what", required=True, metavar="train|activate|run|review-stats|bench")
        train = commands.add_parser("train", help="Train a new model version on the partnership's own records")
        train.add_argument("--no-activate", action="store_true", help="Keep using the current model for now")
        train.add_argument("--seed", type=int, default=1)
        activate = commands.add_parser("activate", help="Make a stored model version the one in use")
        activate.add_argument("version")
        run = commands.add_parser("run", help="Link every participating record with the active model")
        run.add_argument("--only-unlinked", action="store_true", help="Only records not yet linked to anyone")
        commands.add_parser("review-stats", help="Links by method and reviews by status and reason, as JSON")
        bench = commands.add_parser("bench", help="Run bench/linkage.py (quality against labelled data, and scale)")
        bench.add_argument("bench_args", nargs="*", help="Passed to the bench, e.g. --quick")

    def handle(self, *args, what, **options):
        if what == "train":
            self._train(options)
        elif what == "activate":
            version = runs.activate(options["version"])
            self.stdout.write(f"Model {version.version} is now active. Run `jigsaw link run` to relink with it.")
        elif what == "run":
            self._run(options)
        elif what == "review-stats":
            self.stdout.write(json.dumps(runs.review_stats(), indent=2))
        else:
            self._bench(options["bench_args"])

    def _train(self, options):
        version = runs.train_partnership(activate=not options["no_activate"], seed=options["seed"])
        state = "now active" if version.is_active or not options["no_activate"] else "stored, not active"
        self.stdout.write(f"Model {version.version} ({state}), trained on {version.metrics.get('records', 0)} records.")
        self.stdout.write(json.dumps(version.metrics, indent=2, default=str))

    def _run(self, options):
        if stale := runs.out_of_date_active_model():
            self.stdout.write(OUT_OF_DATE.format(version=stale))
        elif runs.scoring.active_version() is None:
            self.stdout.write("No model has been trained: linking by NHS number only. Run `jigsaw link train` first.")
        quiet = options["verbosity"] < 1

        def bar(people):
            return tqdm(people, desc="Linking", unit="record", disable=quiet, file=self.stderr._out)

        result = runs.link_all(progress=bar, only_unlinked=options["only_unlinked"])
        methods = ", ".join(f"{count} {method}" for method, count in sorted(result.methods.items())) or "no new links"
        self.stdout.write(f"{result.people} records: {methods}; {result.reviews_opened} reviews opened.")

    def _bench(self, bench_args):
        if not BENCH.is_file():
            raise CommandError(f"The bench is not in this installation ({BENCH}); it ships with the source.")
        sys.argv = [str(BENCH), *bench_args]
        runpy.run_path(str(BENCH), run_name="__main__")
