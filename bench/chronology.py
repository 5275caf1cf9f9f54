"""Bench: a child's chronology pages for a short file and a very long one, and concern saves.

1. One child with 500 entries and one with 50,000, each spread over ten years with realistic
   kinds, categories, corrections, key events, other children named, open actions and alerts,
   bulk inserted with their EntryTally rows. Then, through Django's test client signed in as the
   school's designated safeguarding lead (with MFA), the server time and query count of the first
   chronology page, a filtered page (a category and a date range) and the front sheet, for each
   child in alternating order; the check is the ratio of the medians, long file over short.
2. Concern saves per second: chronology.actions.do_record_concern with the pattern alerts, the
   notification e-mail (to Django's in-memory outbox) and the hash-chained ledger all on.

Everything happens in a scratch database (jigsaw_bench_chronology_<pid>) created on the server
named by DATABASE_URL, migrated, and dropped at the end, also on error: the demo data is never
touched, and every run starts from the same seeded data. Progress goes to stderr; the last line on
stdout is the JSON report (bench protocol, DESIGN.md section 8).

    .venv/bin/python bench/chronology.py [--small 500] [--large 50000] [--repeats 15] [--saves 200]
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.scratch import report_in_scratch, say, set_up_django  # noqa: E402

RATIO_GOAL = 1.5
# A save answers a member of staff who is waiting on a phone: under 50 ms each is instant for them,
# and 20 a second from one process is far above a partnership's busiest hour.
SAVES_GOAL = 20
YEARS = 10
SEED = 20261121

KINDS = [("concern", 40), ("disclosure", 4), ("triage", 14), ("note", 17), ("contact", 10), ("action", 6),
         ("meeting", 5), ("referral", 3), ("share", 1)]
CATEGORIES = [("neglect", 18), ("attendance", 14), ("emotional-abuse", 10), ("domestic-abuse", 9),
              ("physical-abuse", 7), ("online-safety", 7), ("parental-mental-health", 6),
              ("parental-substance-misuse", 5), ("child-on-child-abuse", 5), ("self-harm", 4), ("missing", 4),
              ("young-carer", 3), ("other", 3), ("sexual-abuse", 2), ("child-sexual-exploitation", 1),
              ("child-criminal-exploitation", 1), ("radicalisation", 0.5)]
OUTCOMES = ["no_further_action", "monitor", "early_help", "refer_csc", "more_information"]
TEXT = ("{name} arrived at 08:50 without a coat; it was 2 degrees. She told Mrs Patel she had not had breakfast "
        "and ate two slices of toast in the breakfast club. Reported to the safeguarding lead at 09:10.")
STAFF = ["Amara Okafor", "Ben Carter", "Chloe Dubois", "Dev Patel", "Ella Hughes", "Finn O'Neill",
         "Grace Li", "Harry Singh", "Isla Murray", "Jack Evans", "Kemi Adebayo", "Liam Walsh"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=500, help="entries in the short file")
    parser.add_argument("--large", type=int, default=50_000, help="entries in the long file")
    parser.add_argument("--repeats", type=int, default=15, help="timed requests per page and child")
    parser.add_argument("--saves", type=int, default=200, help="concerns saved for the throughput")
    options = parser.parse_args()

    os.environ["JIGSAW_EMAIL_BACKEND"] = "locmem"  # the e-mails are sent, into memory, not to stdout
    report_in_scratch("bench/chronology.py", run, options)


def run(options, scratch: str) -> dict:
    set_up_django(scratch)
    import django
    from django.db import connection

    world = make_world()
    t = time.perf_counter()
    rng = random.Random(SEED)
    for person, count in ((world["small"], options.small), (world["large"], options.large)):
        fill(world, person, count, rng)
    named_in_others(world, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # as a database that has been in use would be
    say(f"Filled {options.small + options.large:,} entries in {time.perf_counter() - t:.1f} s")

    pages = bench_pages(world, options.repeats)
    saves = bench_saves(world, options.saves)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    return report(options, pages, saves, server_version, django.get_version())


# --- The data -----------------------------------------------------------------------------------


def make_world() -> dict:
    from allauth.mfa.totp.internal.auth import TOTP

    from jigsaw.accounts.models import LocalAuthority, Membership, Organisation, OrganisationKind, User
    from jigsaw.accounts.roles import Role
    from jigsaw.people.models import Person, Relationship, RelationshipKind

    authority = LocalAuthority.objects.create(gss_code="E06099999", dfe_number="999", name="Benchshire",
                                              office_hours_phone="01632 960000", emergency_duty_phone="01632 960001")
    school = Organisation.objects.create(name="Bench Primary School", kind=OrganisationKind.SCHOOL,
                                         local_authority=authority, urn="999999")
    lead = User.objects.create_user(email="dsl@bench.test", full_name="Dee Lead")
    Membership.objects.create(user=lead, organisation=school, role=Role.DSL)
    TOTP.activate(lead, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    staff = []
    for n, name in enumerate(STAFF):
        user = User.objects.create_user(email=f"staff{n}@bench.test", full_name=name)
        Membership.objects.create(user=user, organisation=school, role=Role.STAFF)
        staff.append(user)

    def child(given: str, born: datetime.date) -> Person:
        return Person.objects.create(organisation=school, given_name=given, family_name="Bench", date_of_birth=born,
                                     nhs_number="", nhs_number_absent_reason="Bench data", school=school)

    small, large, sibling = child("Sally", datetime.date(2014, 2, 3)), child("Laura", datetime.date(2013, 5, 6)), \
        child("Sid", datetime.date(2016, 9, 1))
    for person in (small, large):
        Relationship.objects.create(person=person, relative=sibling, kind=RelationshipKind.SIBLING, lives_with=True)
    return {"school": school, "lead": lead, "staff": staff, "small": small, "large": large, "sibling": sibling}


def _choice(rng: random.Random, weighted) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _entry(world, person, day: datetime.date, rng: random.Random, **extra):
    from jigsaw.chronology.models import Entry

    kind = _choice(rng, KINDS)
    concern = kind in ("concern", "disclosure")
    wanted = rng.choice((1, 1, 1, 2)) if concern else rng.choice((0, 0, 1))
    categories = sorted({_choice(rng, CATEGORIES) for _ in range(wanted)})
    author = rng.choice(world["staff"]) if concern else world["lead"]
    return Entry(
        organisation=world["school"], person=person, kind=kind, event_date=day, sort_date=day,
        what_happened=TEXT.format(name=person.given_name), categories=categories,
        childs_words="she said daddy shouted and hit the wall" if kind == "disclosure" else "",
        triage_outcome=rng.choice(OUTCOMES) if kind == "triage" else "",
        findings=[{"rule": "vague", "field": "what_happened", "phrase": "seemed upset", "prompt": "Say what you saw"}]
        if rng.random() < 0.1 else [],
        author=author, author_label=author.full_name,
        recorded_at=datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=datetime.UTC), **extra,
    )


def fill(world, person, count: int, rng: random.Random) -> None:
    """`count` current entries over ten years, 2% of them corrected once, with their tallies."""
    from jigsaw.chronology.models import ActionItem, Alert, Entry, EntryTally, KeyEvent

    today = datetime.date.today()
    days = [today - datetime.timedelta(days=rng.randrange(YEARS * 365)) for _ in range(count)]
    current = [_entry(world, person, day, rng) for day in days]
    corrected = rng.sample(current, count // 50)
    earlier = Entry.objects.bulk_create(
        [_entry(world, person, e.sort_date, rng, thread=e.thread) for e in corrected], batch_size=5_000
    )
    for old, new in zip(earlier, corrected, strict=True):
        new.version, new.supersedes, new.correction_reason = 2, old, "The date was wrong"
    current = Entry.objects.bulk_create(current, batch_size=5_000)
    _supersede(earlier, corrected)
    KeyEvent.objects.bulk_create(
        [KeyEvent(thread=e.thread, organisation=world["school"], marked_by=world["lead"])
         for e in rng.sample(current, count * 3 // 100)], batch_size=5_000,
    )
    tallies = Counter((e.sort_date.replace(day=1), code) for e in current for code in e.categories)
    EntryTally.objects.bulk_create(
        [EntryTally(organisation=world["school"], person=person, month=month, category=code, count=n)
         for (month, code), n in tallies.items()], batch_size=5_000,
    )
    ActionItem.objects.bulk_create([
        ActionItem(organisation=world["school"], person=person, description=f"Check in with {person.given_name}",
                   owner=world["lead"], due=today + datetime.timedelta(days=n), created_by=world["lead"])
        for n in range(12)
    ])
    alert = Alert.objects.create(organisation=world["school"], person=person, rule="frequent_concerns",
                                 title="Frequent concerns", explanation="Five concerns in 30 days.")
    alert.entries.add(*current[:5])


def _supersede(earlier, corrected) -> None:
    """Point each earlier version at its correction: the one write the append-only trigger allows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany("UPDATE chronology_entry SET superseded_by_id = %s WHERE id = %s",
                           [(new.pk, old.pk) for old, new in zip(earlier, corrected, strict=True)])


def named_in_others(world, rng: random.Random) -> None:
    """The sibling's file names each child in a few entries (the 'Mentioned in other records' list)."""
    from jigsaw.chronology.models import Entry, Involvement

    today = datetime.date.today()
    days = [today - datetime.timedelta(days=rng.randrange(YEARS * 365)) for _ in range(60)]
    entries = Entry.objects.bulk_create([_entry(world, world["sibling"], day, rng) for day in days])
    Involvement.objects.bulk_create(
        [Involvement(entry=entry, person=world["small" if n % 2 else "large"], part="witness")
         for n, entry in enumerate(entries)]
    )


# --- 1. The pages -------------------------------------------------------------------------------


def signed_in_client(user):
    """A test client signed in as if through password and TOTP, as the tests' cast signs in."""
    from django.conf import settings
    from django.test import Client

    from tests.cast import sign_in

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    sign_in(client, user)
    return client


def page_urls(person) -> dict[str, str]:
    today = datetime.date.today()
    # Wide enough that both files fill a page (50 entries), so the two pages draw the same.
    start, end = today.replace(year=today.year - 6), today.replace(year=today.year - 1)
    filtered = (f"?category=neglect&category=attendance&date_from_day={start.day}&date_from_month={start.month}"
                f"&date_from_year={start.year}&date_to_day={end.day}&date_to_month={end.month}&date_to_year={end.year}")
    return {
        "chronology": f"/people/{person.pk}/chronology/",
        "filtered": f"/people/{person.pk}/chronology/{filtered}",
        "front_sheet": f"/people/{person.pk}/front-sheet/",
    }


def _get(client, url: str) -> float:
    t = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def bench_pages(world, repeats: int) -> dict:
    client = signed_in_client(world["lead"])
    urls = {size: page_urls(world[size]) for size in ("small", "large")}
    results = {}
    for page in ("chronology", "filtered", "front_sheet"):
        seconds = {"small": [], "large": []}
        for size in ("small", "large", "small", "large"):  # warm both up
            _get(client, urls[size][page])
        for round_ in range(repeats):
            for size in (("small", "large") if round_ % 2 == 0 else ("large", "small")):
                seconds[size].append(_get(client, urls[size][page]))
        counts = {size: _queries(client, urls[size][page]) for size in ("small", "large")}
        medians = {size: statistics.median(seconds[size]) for size in seconds}
        results[page] = {
            "ratio": round(medians["large"] / medians["small"], 3),
            "median_ms": {size: round(value * 1000, 1) for size, value in medians.items()},
            "min_ms": {size: round(min(seconds[size]) * 1000, 1) for size in seconds},
            "queries": counts,
        }
        say(f"{page}: small {results[page]['median_ms']['small']} ms, large {results[page]['median_ms']['large']} ms, "
            f"ratio {results[page]['ratio']}, queries {counts}")
    return results


# --- 2. Concern saves ---------------------------------------------------------------------------


def bench_saves(world, total: int) -> dict:
    from django.core import mail

    from jigsaw.accounts.actor import Actor
    from jigsaw.chronology import actions
    from jigsaw.chronology.models import Alert

    rng = random.Random(SEED + 1)
    staff = world["staff"][0]
    acting = Actor.for_membership(staff.memberships.get(), ip_address="127.0.0.1")
    alerts_before = Alert.objects.count()
    today = datetime.date.today()

    def save(person) -> None:
        data = actions.EntryData(
            what_happened=TEXT.format(name=person.given_name), actions_taken="Told the safeguarding lead at 09:10.",
            event_date=today - datetime.timedelta(days=rng.randrange(30)),
            categories=sorted({_choice(rng, CATEGORIES) for _ in range(rng.choice((1, 1, 2)))}),
        )
        actions.do_record_concern(acting=acting, person=person, data=data)

    for size in ("small", "large"):  # warm up
        save(world[size])
    seconds = {"small": 0.0, "large": 0.0}
    per_round = max(1, total // 10)
    for round_ in range(10):
        for size in (("small", "large") if round_ % 2 == 0 else ("large", "small")):
            t = time.perf_counter()
            for _ in range(per_round):
                save(world[size])
            seconds[size] += time.perf_counter() - t
    saved = per_round * 10
    rates = {size: saved / value for size, value in seconds.items()}
    say(f"Concern saves: {rates['small']:.1f}/s (short file), {rates['large']:.1f}/s (long file)")
    return {
        "per_second": {size: round(rate, 1) for size, rate in rates.items()},
        "saves_each": saved,
        "mean_ms": {size: round(seconds[size] / saved * 1000, 1) for size in seconds},
        "emails_sent": len(mail.outbox),
        "alerts_raised_or_gathered": Alert.objects.count() - alerts_before,
    }


# --- The report ---------------------------------------------------------------------------------


def report(options, pages: dict, saves: dict, server_version: str, django_version: str) -> dict:
    def ratio_check(page: str, title: str) -> dict:
        return {
            "name": f"{page}_large_small_ratio", "value": pages[page]["ratio"], "goal": RATIO_GOAL,
            "better": "lower", "unit": "ratio", "description": title, **pages[page],
        }

    equal = all(pages[page]["queries"]["small"] == pages[page]["queries"]["large"] for page in pages)
    slower = min(saves["per_second"].values())
    return {
        "bench": "chronology",
        "checks": [
            ratio_check("chronology", f"first chronology page, {options.large:,} entries over {options.small:,}"),
            ratio_check("filtered", "chronology filtered by two categories and a five-year date range"),
            ratio_check("front_sheet", "front sheet"),
            {"name": "query_count_equal", "value": int(equal), "goal": 1, "better": "higher", "unit": "boolean",
             "queries": {page: pages[page]["queries"] for page in pages}},
            {"name": "concern_saves_per_second", "value": slower, "goal": SAVES_GOAL, "better": "higher",
             "unit": "saves/s", "description": "do_record_concern with alerts, e-mail and ledger; the slower file",
             **saves},
        ],
        "detail": {
            "entries": {"small": options.small, "large": options.large}, "years": YEARS,
            "repeats": options.repeats, "python": platform.python_version(), "django": django_version,
            "postgresql": server_version, "cpus": os.cpu_count(),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        },
    }


if __name__ == "__main__":
    main()
