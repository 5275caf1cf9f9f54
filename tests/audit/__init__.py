import os


def write_events(database_name: str, writer: int, count: int, barrier) -> None:
    """Run in a spawned process: connect to the test database and append COUNT events.

    It lives here, not in a test module, so that the new process can import it
    before Django is set up.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigsaw.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = database_name
    from jigsaw.audit import ledger

    connections["default"].ensure_connection()
    barrier.wait(timeout=60)
    for n in range(count):
        ledger.append(
            action="view",
            actor_label=f"writer {writer}",
            object_id=n,
            detail={"writer": writer, "n": n},
        )
    connections.close_all()
