"""Bench: sending a disclosure with redaction against reading the same entries plainly; the inbox at 10,000.

1. A school child with 500 entries over five years, bulk inserted as bench/chronology.py does, whose
   texts name three protected people (a neighbour who reported, a parent who fled abuse and lives
   with the child, an informant) and a sibling. For 10 and then all 500 entries, in alternating
   order: the time to build and send the disclosure through the real actions (do_start_draft and
   do_decide: decision, redacted snapshot, items, the sender's chronology entry, the ledger, the
   e-mail into Django's in-memory outbox) against the time to read the same entries plainly (the
   access layer's query with the entries' details, rendered to dicts and text, and the one ledger
   row a read writes). The check is the ratio of the medians, send over read.
2. One organisation receiving 10,000 disclosures and another receiving 10, bulk inserted (decisions,
   disclosures in every state, snapshots with the child as sent). Through Django's test client,
   signed in with MFA as a social worker at each: the inbox page (GET sharing_inbox, 50 a page, so the
   busy page shows 50 rows and the quiet one 10), and with each organisation's API key the API's list
   at 10 a page (GET /api/v1/disclosures?limit=10: the same rows on both sides). The checks are the
   query counts (equal: ratio 1.0) and the ratio of the median times, 10,000 over 10. The busy
   organisation also receives the disclosures sent in part 1.

Everything happens in a scratch database (jigsaw_bench_sharing_<pid>) created on the server named by
DATABASE_URL, migrated and dropped at the end, also on error. Progress goes to stderr; the last line
on stdout is the JSON report (bench protocol, DESIGN.md section 8).

    .venv/bin/python bench/sharing.py [--entries 500] [--inbox 10000] [--repeats 11]
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.scratch import report_in_scratch, say, set_up_django  # noqa: E402

SEND_RATIO_GOAL = 3.0
INBOX_RATIO_GOAL = 1.5
SEED = 20261121
TEXTS = [
    "Zoë Quennell, the neighbour at 7 Heron Close, rang at 08:40: she heard shouting and a crash from {name}'s "
    "home last night. Mrs Quennell asked that her name is not passed on.",
    "{name} arrived at 08:50 without a coat; it was 2 degrees. She told Mrs Patel she had not had breakfast and "
    "ate two slices of toast in the breakfast club. Reported to the safeguarding lead at 09:10.",
    "{name} said her mum Jo is staying at a new flat (Flat 2, 18 Wren Road) and that she must not tell her dad. "
    "Jo Bench rang later to confirm; e-mail jo.bench@example.org.",
    "{name} was quiet in class and put her head on the desk. When asked she said she was tired because her "
    "brother Sid had been crying all night. Teacher noted a bruise on the left wrist.",
    "Priya Patel (informant) reported that {name} had been seen alone in the park after 21:00 on three evenings. "
    "P. Patel's report was passed to the DSL at 11:05.",
]
CHILDS_WORDS = ["Mum said not to tell anyone where Zoe lives", "Dad shouted and threw the plate"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=500, help="entries in the child's file (the large send)")
    parser.add_argument("--small", type=int, default=10, help="entries in the small send")
    parser.add_argument("--inbox", type=int, default=10_000, help="disclosures received by the busy organisation")
    parser.add_argument("--quiet-inbox", type=int, default=10, help="disclosures received by the quiet one")
    parser.add_argument("--repeats", type=int, default=11, help="timed runs of each measurement")
    options = parser.parse_args()

    os.environ["JIGSAW_EMAIL_BACKEND"] = "locmem"
    report_in_scratch("bench/sharing.py", run, options)


def run(options, scratch: str) -> dict:
    set_up_django(scratch)
    import django
    from django.db import connection

    world = make_world()
    rng = random.Random(SEED)
    t = time.perf_counter()
    fill(world, options.entries, rng)
    say(f"Filled {options.entries} entries in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    received(world, world["busy"], options.inbox, rng)
    received(world, world["quiet"], options.quiet_inbox, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # as a database that has been in use would be
    say(f"Inserted {options.inbox + options.quiet_inbox:,} received disclosures in {time.perf_counter() - t:.1f} s")

    sends = {n: bench_send(world, n, options.repeats) for n in (options.small, options.entries)}
    inbox = bench_inbox(world, options.repeats)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    return report(options, sends, inbox, server_version, django.get_version())


# --- The data -----------------------------------------------------------------------------------


def _user(email: str, name: str, organisation, role: str):
    from allauth.mfa.totp.internal.auth import TOTP

    from jigsaw.accounts.models import Membership, User

    user = User.objects.create_user(email=email, full_name=name)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def make_world() -> dict:
    from jigsaw.accounts.models import LocalAuthority, Organisation, OrganisationKind
    from jigsaw.accounts.roles import Role
    from jigsaw.people.models import Person, Relationship, RelationshipKind

    authority = LocalAuthority.objects.create(gss_code="E06099998", dfe_number="997", name="Benchshire",
                                              office_hours_phone="01632 960000", emergency_duty_phone="01632 960001")

    def organisation(name, kind, **more):
        return Organisation.objects.create(name=name, kind=kind, local_authority=authority, **more)

    school = organisation("Bench Primary School", OrganisationKind.SCHOOL, urn="999998")
    busy = organisation("Benchshire Children's Social Care", OrganisationKind.CHILDRENS_SOCIAL_CARE)
    quiet = organisation("Benchshire Early Help", OrganisationKind.EARLY_HELP)
    partnership = organisation("Benchshire Safeguarding Partnership", OrganisationKind.PARTNERSHIP)
    admin = _user("admin@bench.test", "Ada Admin", partnership, Role.PARTNERSHIP_ADMIN)
    lead = _user("dsl@bench.test", "Dee Lead", school, Role.DSL)
    readers = {"busy": _user("sw@bench.test", "Sol Worker", busy, Role.SOCIAL_WORKER),
               "quiet": _user("eh@bench.test", "Eve Helper", quiet, Role.TEAM_MANAGER)}

    def person(given, family, **more):
        return Person.objects.create(organisation=school, given_name=given, family_name=family,
                                     nhs_number="", nhs_number_absent_reason="Bench data", **more)

    child = person("Bella", "Bench", date_of_birth=datetime.date(2015, 3, 27), address="3 Kite Lane, Benchtown",
                   postcode="BE1 1AA", school=school)
    sibling = person("Sid", "Bench", date_of_birth=datetime.date(2017, 6, 1), address="3 Kite Lane, Benchtown",
                     postcode="BE1 1AA", school=school)
    Relationship.objects.create(person=child, relative=sibling, kind=RelationshipKind.SIBLING, lives_with=True)
    protected = [
        person("Zoë", "Quennell", address="7 Heron Close, Benchtown", postcode="BE1 7HC"),
        person("Jo", "Bench", address="Flat 2, 18 Wren Road, Benchtown", postcode="BE1 1AA"),
        person("Priya", "Patel", other_names="P. Patel"),
    ]
    for each in protected:
        each.protected_identity, each.protected_identity_reason = True, "Could be harmed if identified"
        each.save()
    others = Person.objects.bulk_create(
        Person(organisation=school, given_name=f"Child{n}", family_name=("Ash", "Birch", "Cedar")[n % 3],
               date_of_birth=datetime.date(2012 + n % 8, 1 + n % 12, 1 + n % 28), nhs_number="",
               nhs_number_absent_reason="Bench data", school=school) for n in range(198)
    )
    return {"school": school, "busy": busy, "quiet": quiet, "admin": admin, "lead": lead, "readers": readers,
            "child": child,
            "sibling": sibling, "protected": protected, "children": [child, sibling, *others]}


def fill(world, count: int, rng: random.Random) -> None:
    """`count` current entries over five years; a tenth name the sibling, a twentieth have a body map."""
    from decimal import Decimal

    from jigsaw.chronology.models import BodyMapMark, Entry, Involvement

    today = datetime.date.today()
    entries = []
    for n in range(count):
        day = today - datetime.timedelta(days=rng.randrange(5 * 365))
        kind = rng.choice(("concern", "concern", "disclosure", "note", "contact"))
        entries.append(Entry(
            organisation=world["school"], person=world["child"], kind=kind, event_date=day, sort_date=day,
            what_happened=rng.choice(TEXTS).format(name="Bella"),
            childs_words=rng.choice(CHILDS_WORDS) if kind == "disclosure" else "",
            present="Mrs Patel, Mr Jones" if n % 3 == 0 else "", location="Classroom 4",
            actions_taken="Told the safeguarding lead at 09:10; rang Jo Bench at 15:30.",
            categories=["neglect"] if n % 2 else ["domestic-abuse"], author=world["lead"],
            author_label=world["lead"].full_name,
            recorded_at=datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=datetime.UTC),
        ))
    entries = Entry.objects.bulk_create(entries, batch_size=5_000)
    Involvement.objects.bulk_create(Involvement(entry=e, person=world["sibling"], part="witness")
                                    for e in entries[::10])
    BodyMapMark.objects.bulk_create(
        BodyMapMark(entry=e, side="front", region="head-face", x=Decimal("50"), y=Decimal("8"),
                    note="Bruise; Zoë Quennell saw it happen") for e in entries[::20]
    )
    world["entries"] = [e.pk for e in sorted(entries, key=lambda e: (e.sort_date, e.pk))]


def received(world, recipient, count: int, rng: random.Random) -> None:
    """`count` disclosures from the school to `recipient`, in every state, about 200 different children."""
    from jigsaw.sharing import snapshots
    from jigsaw.sharing.models import Decision, Disclosure, Snapshot

    school, children = world["school"], world["children"]
    template = _content(world, recipient)
    now = datetime.datetime.now(datetime.UTC)
    decisions, disclosures, snapshots_ = [], [], []
    for n in range(count):
        child = children[n % len(children)]
        sent_at = now - datetime.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        decisions.append(Decision(
            organisation=school, person=child, outcome="share", purpose="Assessment", recipient=recipient,
            lawful_basis="public_task", consent="not_sought_risk", rationale="Risk of significant harm",
            not_told_reason="Would increase the risk", decided_by_label="Dee Lead", decided_at=sent_at,
        ))
        state = rng.random()
        opened = sent_at + datetime.timedelta(hours=2) if state > 0.3 else None
        disclosures.append(Disclosure(
            kind="share", sender=school, person=child, recipient=recipient, sent_by_label="Dee Lead",
            sent_at=sent_at, due_at=sent_at + datetime.timedelta(days=1), opened_at=opened,
            opened_by_label="Sol Worker" if opened else "",
            acknowledged_at=opened + datetime.timedelta(hours=1) if state > 0.6 else None,
            acknowledged_by_label="Sol Worker" if state > 0.6 else "", action_taken="Read" if state > 0.6 else "",
        ))
        content = {**template, "child": {**template["child"], "given_name": child.given_name,
                                         "family_name": child.family_name,
                                         "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth
                                         else None}}
        snapshots_.append(content)
    decisions = Decision.objects.bulk_create(decisions, batch_size=2_000)
    for disclosure, decision in zip(disclosures, decisions, strict=True):
        disclosure.decision = decision
    disclosures = Disclosure.objects.bulk_create(disclosures, batch_size=2_000)
    Snapshot.objects.bulk_create(
        [Snapshot(disclosure=d, content=c, redactions=[], sha256=snapshots.digest(c), created_at=d.sent_at)
         for d, c in zip(disclosures, snapshots_, strict=True)], batch_size=2_000,
    )


def _content(world, recipient) -> dict:
    """A realistic snapshot: three of the child's entries, redacted."""
    from jigsaw.chronology.models import Entry
    from jigsaw.sharing import snapshots

    entries = list(Entry.objects.filter(pk__in=world["entries"][:3]).prefetch_related(
        "involvements__person", "marks", "attachments"))
    return snapshots.build(organisation=world["school"], subject=world["child"], entries=entries,
                           purpose="Assessment", recipient_label=recipient.name).content


# --- 1. Sending against reading --------------------------------------------------------------------


def _actor(user):
    from jigsaw.accounts.actor import Actor

    return Actor.for_membership(user.memberships.get(), ip_address="127.0.0.1")


def send(world, ids):
    from jigsaw.sharing import access, actions

    actor = _actor(world["lead"])
    draft = actions.do_start_draft(acting=actor, person=world["child"], entry_ids=ids)
    data = actions.DecisionData(
        outcome="share", purpose="So that children's social care can assess Bella's safety at home",
        rationale="Bella may be at risk of significant harm.", consent="not_sought_risk", lawful_basis="public_task",
        recipient=world["busy"], not_told_reason="Telling her father could increase the risk",
    )
    return actions.do_decide(acting=actor, draft=draft, data=data,
                             shareable=access.shareable_entries(actor, world["child"]))


def read_plainly(world, ids) -> str:
    """What reading the same entries costs without sharing them: the query, dicts and text, one ledger row."""
    from jigsaw.chronology.models import Category, EntryKind
    from jigsaw.sharing import access, actions, snapshots

    actor = _actor(world["lead"])
    entries = list(access.shareable_entries(actor, world["child"]).filter(pk__in=ids).order_by("sort_date", "id"))
    names = dict(Category.objects.in_area_of(world["school"]).values_list("code", "name"))
    items = []
    for position, entry in enumerate(entries, start=1):
        item = {name: getattr(entry, name) for name in snapshots.TEXT_FIELDS}
        item.update(position=position, kind_label=EntryKind(entry.kind).label, recorded_by=entry.author_label,
                    event_date=entry.event_date.isoformat() if entry.event_date else None,
                    categories=[names.get(code, code) for code in entry.categories],
                    others=[inv.person.full_name for inv in entry.involvements.all()],
                    body_map=[mark.note for mark in entry.marks.all()], attachments=len(entry.attachments.all()))
        items.append(item)
    actions.do_record_view(acting=actor, obj=world["child"], person=world["child"], what="bench: read entries")
    return "\n\n".join(f"{i['position']}. {i['kind_label']}, {i['event_date']}\n{i['what_happened']}" for i in items)


def _timed(function, *args) -> float:
    t = time.perf_counter()
    function(*args)
    return time.perf_counter() - t


def _queries(function, *args) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured.captured_queries)


def bench_send(world, n: int, repeats: int) -> dict:
    from jigsaw.sharing import snapshots

    ids = world["entries"][-n:]
    for _ in range(2):  # warm up
        send(world, ids)
        read_plainly(world, ids)
    seconds = {"send": [], "read": []}
    for round_ in range(repeats):
        for what in (("send", "read") if round_ % 2 == 0 else ("read", "send")):
            seconds[what].append(_timed(send if what == "send" else read_plainly, world, ids))
    medians = {what: statistics.median(values) for what, values in seconds.items()}
    sent = send(world, ids)
    if not sent.disclosure.snapshot.redactions:
        raise RuntimeError("nothing was redacted, but the bench's texts name protected people")
    result = {
        "entries": n,
        "ratio": round(medians["send"] / medians["read"], 3),
        "median_ms": {what: round(value * 1000, 1) for what, value in medians.items()},
        "min_ms": {what: round(min(values) * 1000, 1) for what, values in seconds.items()},
        "queries": {"send": _queries(send, world, ids), "read": _queries(read_plainly, world, ids)},
        "redactions": snapshots.Built(sent.disclosure.snapshot.content, sent.disclosure.snapshot.redactions)
        .redaction_count,
        "snapshot_kb": round(len(json.dumps(sent.disclosure.snapshot.content)) / 1024, 1),
    }
    say(f"{n} entries: send {result['median_ms']['send']} ms, read {result['median_ms']['read']} ms, "
        f"ratio {result['ratio']}, queries {result['queries']}, {result['redactions']} redactions")
    return result


# --- 2. The inbox ------------------------------------------------------------------------------


def _api_client(world, organisation):
    from django.conf import settings
    from django.test import Client

    from jigsaw.accounts import actions as account_actions
    from jigsaw.accounts.models import ApiKeyScope

    _, token = account_actions.do_create_api_key(acting=_actor(world["admin"]), organisation=organisation,
                                                 name="Bench case system", scopes=[ApiKeyScope.SHARING_READ], days=1)
    return Client(HTTP_HOST=settings.ALLOWED_HOSTS[0], HTTP_AUTHORIZATION=f"Bearer {token}")


def _get(client, url: str) -> float:
    t = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def bench_inbox(world, repeats: int) -> dict:
    from bench.chronology import signed_in_client

    pages = {
        "inbox": ("/sharing/inbox/", {size: signed_in_client(world["readers"][size]) for size in ("busy", "quiet")}),
        # Ten a page on both sides, so the two pages carry the same rows and only the inbox's size differs.
        "api": ("/api/v1/disclosures?limit=10", {size: _api_client(world, world[size]) for size in ("busy", "quiet")}),
    }
    results = {}
    for page, (url, clients) in pages.items():
        for size in ("busy", "quiet", "busy", "quiet"):  # warm up
            _get(clients[size], url)
        seconds = {"busy": [], "quiet": []}
        for round_ in range(repeats):
            for size in (("busy", "quiet") if round_ % 2 == 0 else ("quiet", "busy")):
                seconds[size].append(_get(clients[size], url))
        counts = {size: _queries(_get, clients[size], url) for size in ("busy", "quiet")}
        medians = {size: statistics.median(values) for size, values in seconds.items()}
        results[page] = {
            "ratio": round(medians["busy"] / medians["quiet"], 3),
            "median_ms": {size: round(value * 1000, 1) for size, value in medians.items()},
            "min_ms": {size: round(min(values) * 1000, 1) for size, values in seconds.items()},
            "queries": counts,
        }
        say(f"{page}: busy {results[page]['median_ms']['busy']} ms, quiet {results[page]['median_ms']['quiet']} ms, "
            f"ratio {results[page]['ratio']}, queries {counts}")
    return results


# --- The report ---------------------------------------------------------------------------------


def report(options, sends: dict, inbox: dict, server_version: str, django_version: str) -> dict:
    def send_check(n: int) -> dict:
        return {"name": f"send_{n}_over_read_ratio", "value": sends[n]["ratio"], "goal": SEND_RATIO_GOAL,
                "better": "lower", "unit": "ratio",
                "description": f"build and send a redacted disclosure of {n} entries, over reading them plainly",
                **sends[n]}

    def inbox_checks(page: str, title: str) -> list[dict]:
        queries = inbox[page]["queries"]
        return [
            {"name": f"{page}_query_count_ratio", "value": round(queries["busy"] / queries["quiet"], 3), "goal": 1.0,
             "better": "lower", "unit": "ratio", "queries": queries,
             "description": f"{title}: queries with {options.inbox:,} received over {options.quiet_inbox}"},
            {"name": f"{page}_time_ratio", "value": inbox[page]["ratio"], "goal": INBOX_RATIO_GOAL, "better": "lower",
             "unit": "ratio", "description": f"{title}: time with {options.inbox:,} received over "
                                             f"{options.quiet_inbox}", **inbox[page]},
        ]

    return {
        "bench": "sharing",
        "checks": [
            send_check(options.small), send_check(options.entries),
            *inbox_checks("inbox", "inbox page (GET sharing_inbox)"),
            *inbox_checks("api", "API list (GET /api/v1/disclosures?limit=10)"),
        ],
        "detail": {
            "entries": options.entries, "small": options.small, "inbox": options.inbox,
            "quiet_inbox": options.quiet_inbox, "repeats": options.repeats, "python": platform.python_version(),
            "django": django_version, "postgresql": server_version, "cpus": os.cpu_count(),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        },
    }


if __name__ == "__main__":
    main()
