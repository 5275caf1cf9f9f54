"""The semgrep rules in .semgrep/ really catch what they are for."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEMGREP = Path(sys.executable).parent / "semgrep"

VIOLATIONS = '''
from jigsaw.people.models import Person
from django.db import connection


def leaky(request):
    people = Person.objects.all()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person")
    return people
'''

CLEAN = '''
from jigsaw.people import access


def careful(request):
    return access.visible_to(request.actor)
'''


def findings(tmp_path, source: str) -> set[str]:
    app = tmp_path / "jigsaw" / "somewhere"
    app.mkdir(parents=True)
    (app / "views.py").write_text(source)
    result = subprocess.run(
        [str(SEMGREP), "scan", "--config", str(ROOT / ".semgrep"), "--metrics=off", "--disable-version-check",
         "--json", "--quiet", str(tmp_path / "jigsaw")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    return {finding["check_id"].rsplit(".", 1)[-1] for finding in json.loads(result.stdout)["results"]}


def test_it_catches_a_view_querying_people_directly_and_raw_sql(tmp_path):
    assert findings(tmp_path, VIOLATIONS) == {"personal-data-only-through-access", "no-raw-sql-outside-the-ledger"}


def test_it_passes_a_view_that_uses_the_chokepoint(tmp_path):
    assert findings(tmp_path, CLEAN) == set()
