"""The demo's deliberately imperfect duplicates, linked as a partnership would link them.

The first load trains a model on the demo's own records (as `jigsaw link train` would), and so does
a load after the prepared records' format changed and left the model out of date; then it
links every record not yet linked (as `jigsaw link run --only-unlinked`). What the model is
unsure of stays in the review queue, for a new user to try.
"""

from jigsaw.accounts.actor import Actor
from jigsaw.demo import ACTOR_LABEL
from jigsaw.linkage import runs
from jigsaw.linkage.models import ModelVersion


def ensure_linkage() -> tuple[int, int]:
    """Returns (links made, reviews opened)."""
    out_of_date = runs.out_of_date_active_model()
    if not ModelVersion.objects.exists() or out_of_date:
        runs.train_partnership(acting=Actor.for_system(ACTOR_LABEL))
    # After an out-of-date model, every record's blocking keys and links follow the new one.
    result = runs.link_all(only_unlinked=not out_of_date)
    return sum(result.methods.values()), result.reviews_opened
