"""`jigsaw audit verify` and `jigsaw audit anchor`."""

import datetime
import io
import json

import pgtrigger
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from jigsaw.audit import ledger
from jigsaw.audit.models import Action


def add(count: int) -> list:
    return [
        ledger.append(action=Action.VIEW, actor_label="Bob Baker (Riverside School)", object_id=n)
        for n in range(count)
    ]


def alter_event(seq: int) -> None:
    with pgtrigger.ignore("audit.AccessEvent:append_only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET actor_label = 'Someone else' WHERE seq = %s", [seq])


@pytest.fixture
def run_cli(monkeypatch):
    """Run `jigsaw ARGS` as the command line would, in the test's transaction; return the exit status."""
    # A command run from the command line closes the connections when it ends,
    # which would also end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> int:
        try:
            ManagementUtility(["jigsaw", *args]).execute()
        except SystemExit as exit_:
            return exit_.code or 0
        return 0

    return run


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_verify_says_the_ledger_is_intact(db):
    add(3)
    out = io.StringIO()

    call_command("audit", "verify", stdout=out)

    assert out.getvalue() == "Ledger intact: 3 events checked\n"


def test_verify_of_an_empty_ledger_is_intact(db, capsys, run_cli):
    assert run_cli("audit", "verify") == 0
    assert capsys.readouterr().out == "Ledger intact: 0 events checked\n"


def test_verify_names_the_first_bad_event_and_fails(db):
    add(4)
    alter_event(2)
    alter_event(3)

    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=io.StringIO())

    assert failure.value.returncode == 1
    assert str(failure.value) == (
        "Ledger broken at event 2: its content does not match its hash "
        "(1 events before it checked and intact)."
    )


def test_verify_from_the_command_line_exits_1_naming_the_event(db, capsys, run_cli):
    add(3)
    with pgtrigger.ignore("audit.AccessEvent:append_only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accessevent WHERE seq = 2")

    assert run_cli("audit", "verify") == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Ledger broken at event 2: event 2 is missing" in captured.err


def test_verify_shows_progress_on_a_terminal(db, monkeypatch):
    add(3)
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)

    call_command("audit", "verify", stdout=io.StringIO())

    assert "Checking the ledger" in terminal.getvalue()


def test_verify_shows_no_progress_when_not_on_a_terminal(db, monkeypatch):
    add(3)
    not_a_terminal = io.StringIO()
    monkeypatch.setattr("sys.stderr", not_a_terminal)

    call_command("audit", "verify", stdout=io.StringIO())

    assert not_a_terminal.getvalue() == ""


def test_anchor_prints_the_latest_seq_and_hash_with_the_time_as_one_json_line(db, capsys, run_cli):
    events = add(2)
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

    assert run_cli("audit", "anchor") == 0

    out = capsys.readouterr().out
    assert out.count("\n") == 1
    anchor = json.loads(out)
    assert anchor["seq"] == 2
    assert anchor["hash"] == events[-1].hash
    at = datetime.datetime.fromisoformat(anchor["at"])
    assert at.utcoffset() == datetime.timedelta(0)
    assert before <= at <= datetime.datetime.now(datetime.UTC)


def test_anchor_of_an_empty_ledger_is_the_genesis_hash(db, capsys, run_cli):
    assert run_cli("audit", "anchor") == 0
    anchor = json.loads(capsys.readouterr().out)
    assert (anchor["seq"], anchor["hash"]) == (0, ledger.GENESIS)


def test_an_anchor_kept_elsewhere_shows_events_cut_from_the_end(db, capsys, run_cli):
    events = add(3)
    run_cli("audit", "anchor")
    kept = json.loads(capsys.readouterr().out)

    with pgtrigger.ignore("audit.AccessEvent:append_only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accessevent WHERE seq = 3")
        cursor.execute("UPDATE audit_chainhead SET seq = 2, hash = %s", [events[1].hash])
    run_cli("audit", "anchor")
    now = json.loads(capsys.readouterr().out)

    assert (now["seq"], now["hash"]) != (kept["seq"], kept["hash"])


def test_audit_needs_a_subcommand(db, capsys, run_cli):
    assert run_cli("audit") != 0
    assert "verify" in capsys.readouterr().err
