"""The `jigsaw` command: Django's management commands under one name."""

import os
import sys
from pathlib import Path

LOCAL_ENV = Path(__file__).resolve().parent.parent / "var" / "jigsaw.env"


def load_local_env(path: Path = LOCAL_ENV) -> None:
    """Fill unset variables from var/jigsaw.env, which ./run and ./test write for local use.

    A deployment has no such file and sets its environment itself; anything already set wins.
    """
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


def main() -> None:
    load_local_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jigsaw", *sys.argv[1:]])


if __name__ == "__main__":
    main()
