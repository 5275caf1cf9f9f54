"""The demo's chronologies: concerns, decisions and follow-up, written through the real actions.

Each organisation's history is replayed in the order it happened (a queue of timed steps), so
tallies, pattern alerts, key events and the ledger come out as if people had used Jigsaw.
Dates are fixed offsets from REFERENCE_DATE, never the clock; the texts are in `stories.py`.
"""

import datetime
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from zoneinfo import ZoneInfo

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import Membership, Organisation, User
from jigsaw.chronology import actions
from jigsaw.chronology.bodymap import REGION_BY_CODE
from jigsaw.chronology.models import ActionItem, Alert, AlertStatus, Concern, Entry
from jigsaw.demo import REFERENCE_DATE, seeded
from jigsaw.demo import stories as T
from jigsaw.demo.children import RECEPTION_BORN_FROM, Family, Individual, age_on_reference_date, school_year
from jigsaw.demo.partnership import BY_KEY
from jigsaw.demo.records import plan
from jigsaw.guidance import calendar
from jigsaw.guidance.categories import NATIONAL
from jigsaw.guidance.patterns import category_name
from jigsaw.people.models import Person

LONDON = ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)
OPEN_ALERT_DAYS = 30  # alerts fired in the month before the reference date are left for the leads
LAST_ORDINARY_DAY = 8  # ordinary chronologies end this many days before it, so every concern is decided
SETTINGS = ("riverside", "hillside", "st-annes", "brookfield", "academy", "oakfield", "nursery")


@dataclass(frozen=True)
class TeamSpec:
    writers: tuple[str, ...]  # who logs concerns (the local part of their demo e-mail address)
    leads: tuple[str, ...]  # who decides
    children: int  # children with an ordinary chronology, besides the scripted ones
    fresh: tuple[int, ...]  # days before the reference date of concerns still unread on it


TEAMS = {
    "riverside": TeamSpec(("bob", "grace", "will"), ("alice", "frank"), 70, (5, 3, 2)),
    "hillside": TeamSpec(("ivy",), ("carol", "hassan"), 50, (2,)),
    "st-annes": TeamSpec(("kieran",), ("jo",), 40, (3,)),
    "brookfield": TeamSpec(("marcus",), ("leila",), 40, (2,)),
    "academy": TeamSpec(("paula",), ("nadia", "owen"), 80, (3, 2)),
    "oakfield": TeamSpec(("rosa",), ("quentin",), 20, (2,)),
    "nursery": TeamSpec(("toby",), ("sana",), 30, (2,)),
    "csc": TeamSpec(("dan", "gareth", "yusuf"), ("fiona",), 50, ()),
    "early-help": TeamSpec(("kyle",), ("jasmine",), 35, (3,)),
}
THEME_WEIGHTS = {"neglect": 25, "attendance": 15, "wellbeing": 15, "domestic": 12, "injury": 8, "online": 8,
                 "peers": 10, "self_harm": 6, "exploitation": 5, "rare": 2, "care": 60, "home": 40}
PRONOUNS = {"female": ("she", "her", "her"), "male": ("he", "him", "his")}
CARER_WORDS = {("parent", "female"): "mum", ("parent", "male"): "dad", ("carer", "female"): "grandmother",
               ("carer", "male"): "grandfather", ("partner_of_parent", "male"): "mum's partner",
               ("partner_of_parent", "female"): "dad's partner"}
CSC_ARCS = ((1, 3, 5), (0, 1, 2, 3, 4), (1, 2, 3, 4, 5), (0, 1, 3, 4))
SERIOUS = frozenset(category.code for category in NATIONAL if category.serious)
# Risks a lead always refers, whatever else is known.
ALWAYS_REFERRED = frozenset({"sexual-abuse", "child-sexual-exploitation", "child-criminal-exploitation",
                             "female-genital-mutilation", "forced-marriage", "honour-based-abuse"})


@dataclass
class Counts:
    entries: int = 0
    concerns: int = 0


@dataclass
class Child:
    person: Person
    truth: Individual
    family: Family
    carer: str
    carer_is: str
    school: str
    since: datetime.date  # the first day this organisation could have recorded anything about the child
    siblings: list[Person] = field(default_factory=list)

    @property
    def age(self) -> int:
        return age_on_reference_date(self.truth.date_of_birth)

    def fits(self, story: T.Story) -> bool:
        low, high = story.ages
        return (low <= self.age <= high and (self.truth.sex == "female" or not story.girls_only)
                and (bool(self.siblings) or not story.needs_sibling))


@dataclass
class Thread:
    """A concern from logging to decision, with the times each step happens."""

    child: Child
    writer: str
    when: datetime.datetime
    context: dict
    read_at: datetime.datetime
    decided_at: datetime.datetime
    concern: Concern | None = None


def ensure_chronology(orgs: dict[str, Organisation], users: dict[str, User]) -> Counts:
    """Write the chronologies of each demo organisation that has no entries yet."""
    counts = Counts()
    written = set(
        Entry.objects.filter(organisation__in=orgs.values()).values_list("organisation_id", flat=True).distinct()
    )
    if all(orgs[key].pk in written for key in TEAMS):
        return counts
    for key, spec in TEAMS.items():
        org = orgs[key]
        actors = _actors(org, users)
        if org.pk in written or not any(lead in actors for lead in spec.leads):
            continue
        Book(key, org, actors).write()
        counts.entries += Entry.objects.filter(organisation=org).count()
        counts.concerns += Concern.objects.filter(organisation=org).count()
    return counts


def _actors(org: Organisation, users: dict[str, User]) -> dict[str, Actor]:
    memberships = Membership.objects.filter(
        organisation=org, user__in=users.values(), ended_at__isnull=True
    ).select_related("user", "organisation")
    return {m.user.email.split("@")[0]: Actor.for_membership(m) for m in memberships}


# Time ---------------------------------------------------------------------------------------------


def ago(days: int) -> datetime.date:
    return REFERENCE_DATE - days * DAY


def school_day(day: datetime.date, school: bool = True) -> datetime.date:
    """The first working day from `day`; for schools, outside the summer and Christmas holidays."""
    if school and (day.month == 8 or (day.month == 7 and day.day >= 22)):
        day = datetime.date(day.year, 9, 3)
    if school and day.month == 12 and day.day >= 19:
        day = datetime.date(day.year + 1, 1, 5)
    while not calendar.is_working_day(day):
        day += DAY
    return day


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def later(when: datetime.datetime, minutes: int) -> datetime.datetime:
    """`minutes` later, or first thing on the next working day when that is after office hours."""
    moment = when + datetime.timedelta(minutes=minutes)
    if moment.date() == when.date() and moment.time() <= datetime.time(17, 30):
        return moment
    return at(school_day(when.date() + DAY, school=False), 8, 30 + minutes % 25)


# Children -----------------------------------------------------------------------------------------


@cache
def _held_by(org: str) -> frozenset[str]:
    return frozenset(r.individual for r in plan().records if r.org == org)


class Children:
    """The children one organisation holds, as planned, each with the Person row it holds."""

    def __init__(self, key: str, org: Organisation):
        self.key = key
        self.records = {r.individual: r for r in plan().records if r.org == key}
        rows: dict[tuple, list[Person]] = {}
        for person in Person.objects.filter(organisation=org):
            rows.setdefault((person.given_name, person.family_name, person.date_of_birth), []).append(person)
        self.people = {}
        for individual, r in self.records.items():
            found = rows.get((r.given_name, r.family_name, r.date_of_birth), [])
            if len(found) == 1:  # a record changed or duplicated since the demo was loaded is left alone
                self.people[individual] = found[0]
        self.all = [child for family in plan().families for child in self._of(family)]
        self.used: set[int] = set()

    def _of(self, family: Family) -> list[Child]:
        held = [c for c in family.children if c.key in self.people]
        subjects = [c for c in held if c.school == self.key] if self.key in SETTINGS else held
        carers = [m for m in family.adults if m.lives_with and m.kind != "sibling" and m.person.key in self.records]
        carer, carer_is = "the parent", "parent"
        if carers:
            r = self.records[carers[0].person.key]
            carer, carer_is = f"{r.given_name} {r.family_name}", CARER_WORDS.get((carers[0].kind, r.sex), "carer")
        return [
            Child(self.people[c.key], c, family, carer, carer_is, BY_KEY[c.school].name if c.school else "the school",
                  self._since(c), [self.people[s.key] for s in sorted(held, key=lambda s: s.school != self.key)
                                   if s is not c])
            for c in subjects
        ]

    def _since(self, child: Individual) -> datetime.date:
        since = self.people[child.key].created_at.date()
        years = BY_KEY[self.key].years
        if years is not None:  # the September the child started here
            started = RECEPTION_BORN_FROM + 5 - school_year(child.date_of_birth) + years[0]
            since = max(since, datetime.date(started, 9, 4))
        if self.key == "nursery":
            since = max(since, child.date_of_birth + 540 * DAY)
        return since

    def take(self, test=lambda child: True, rng=None) -> Child | None:
        free = [c for c in self.all if c.person.pk not in self.used and test(c)]
        if not free:
            return None
        child = rng.choice(free) if rng else free[0]
        self.used.add(child.person.pk)
        return child

    def other_for(self, child: Child, rng) -> Person | None:
        """Another child of about the same age here, from another family."""
        near = [c.person for c in self.all if c.family is not child.family and abs(c.age - child.age) <= 1]
        return rng.choice(near) if near else None


# One organisation's book --------------------------------------------------------------------------


class Book:
    """One organisation's chronologies, replayed in time order."""

    def __init__(self, key: str, org: Organisation, actors: dict[str, Actor]):
        self.key, self.org, self.actors, self.spec = key, org, actors, TEAMS[key]
        self.rng = seeded(f"chronology/{key}")
        self.leads = [lead for lead in self.spec.leads if lead in actors]
        self.writers = [w for w in self.spec.writers if w in actors] or self.leads
        self.children = Children(key, org)
        self.queue: list = []
        self.order = itertools.count()
        self.seen_alerts: set[int] = set()

    def at(self, when: datetime.datetime, step: Callable[[datetime.datetime], object]) -> None:
        if when.date() < REFERENCE_DATE:
            heapq.heappush(self.queue, (when, next(self.order), step))

    def write(self) -> None:
        SCRIPTS.get(self.key, lambda book: None)(self)
        plan_ordinary = {"csc": social_care, "early-help": early_help}.get(self.key, ordinary)
        for _ in range(self.spec.children):
            child = self.children.take(lambda c: c.since < ago(LAST_ORDINARY_DAY + 40), self.rng)
            if child is not None:
                plan_ordinary(self, child)
        for days in self.spec.fresh:
            fresh(self, days)
        while self.queue:
            when, _, step = heapq.heappop(self.queue)
            step(when)

    def actor(self, who: str) -> Actor:
        return self.actors.get(who) or self.actors[self.leads[0]]

    def name(self, who: str) -> str:
        return self.actor(who).user.full_name

    def moment(self, day: datetime.date) -> datetime.datetime:
        first, hours = (8, 8) if self.key == "nursery" else (8, 7) if self.key in SETTINGS else (9, 7)
        return at(day, first, 30) + datetime.timedelta(minutes=self.rng.randrange(0, hours * 60, 5))

    def context(self, child: Child, writer: str, lead: str, when, other=None, story=None) -> dict:
        he, him, his = PRONOUNS.get(child.person.sex, ("they", "them", "their"))
        others = [n for n in (*self.spec.writers, *self.spec.leads) if n not in (writer, lead) and n in self.actors]
        topics = [category_name(c).lower() for c in (story.categories if story else ()) if c != "other"]
        given = child.person.given_name
        return {
            "child": given, "full": f"{given} {child.person.family_name}", "he": he, "him": him, "his": his,
            "He": he.capitalize(), "His": his.capitalize(), "carer": child.carer, "carer_is": child.carer_is,
            "staff": self.name(writer), "lead": self.name(lead),
            "colleague": self.name(others[0]) if others else "a colleague",
            "initials": "".join(part[0] for part in self.name((others or [writer])[0]).split()),
            "sibling": child.siblings[0].given_name if child.siblings else "",
            "other": f"{other.given_name} {other.family_name}" if other else "", "time": when.strftime("%H:%M"),
            "org": self.org.name, "school": child.school, "age": str(child.age),
            "topic": " and ".join(topics) or f"{given}'s welfare", "wrong": "",
        }

    def data(self, story: T.Story, ctx: dict, when, recorded, child: Child, other=None, what=""):
        involved = [(other, story.other_part)] if other is not None and story.other_part else []
        if story.needs_sibling and child.siblings:
            involved.append((child.siblings[0], "sibling"))
        return actions.EntryData(
            what_happened=(what or story.what).format_map(ctx), childs_words=story.words.format_map(ctx),
            event_date=when.date(), event_time=when.time(), location=story.location.format_map(ctx),
            present=story.present.format_map(ctx), actions_taken=story.actions.format_map(ctx),
            categories=list(story.categories), involvements=involved, source=story.source, recorded_at=recorded,
            marks=[_mark(code, note.format_map(ctx)) for code, note in story.marks],
        )

    # Steps ------------------------------------------------------------------------------------------

    def concern(self, child: Child, when, story: T.Story, *, by: str, decision: T.Decision | None = None,
                read_by: str = "", scripted: bool = False, other=None) -> Thread:
        """Log a concern that happened at `when`, then read and decide it if `decision` or `read_by` say so."""
        rng = self.rng
        recorded = later(when, 30 if scripted else rng.randrange(15, 120, 5))
        if not scripted and rng.random() < 0.08:  # written up the next morning
            recorded = at(school_day(when.date() + DAY, school=False), 8, rng.randrange(15, 55, 5))
        read_at = later(recorded, 10 if scripted else rng.randrange(10, 180, 5))
        decided_at = later(read_at, 15 if scripted else rng.randrange(5, 90, 5))
        if not scripted and rng.random() < 0.3:
            decided_at = at(school_day(read_at.date() + DAY, school=False), 9, rng.randrange(0, 55, 5))
        lead = decision.by if decision else read_by or self.leads[0]
        thread = Thread(child, by, when, self.context(child, by, lead, when, other, story), read_at, decided_at)

        def log(now):
            data = self.data(story, thread.context, when, now, child, other)
            thread.concern = actions.do_record_concern(
                acting=self.actor(by), person=child.person, data=data, notify_leads=False
            )
            self.watch(child, now)

        self.at(recorded, log)
        if read_by or (decision and decided_at.date() > read_at.date()):  # otherwise deciding records the read
            self.at(read_at, lambda now: actions.do_mark_read(acting=self.actor(lead), concern=thread.concern, at=now))
        if decision:
            self.decide(thread, decision, decided_at)
        return thread

    def decide(self, thread: Thread, decision: T.Decision, when) -> None:
        def step(now):
            ctx = {**thread.context, "lead": self.name(decision.by), "time": now.strftime("%H:%M")}
            entry = actions.do_triage(
                acting=self.actor(decision.by), concern=thread.concern, outcome=decision.outcome,
                rationale=decision.rationale.format_map(ctx), at=now,
                new_actions=self.new_actions(decision.acts, ctx, now, decision.by, thread.writer),
            )
            self.follow_up(entry, decision.acts, ctx, now, decision.by, thread.writer)

        self.at(when, step)

    def correct(self, thread: Thread, when, reason: str, story: T.Story, by: str, move_to: Child | None = None):
        def step(now):
            child = move_to or thread.child
            ctx = thread.context
            if move_to:
                ctx = {**self.context(child, thread.writer, by, thread.when, story=story), "wrong": ctx["full"]}
            current = Entry.objects.get(thread=thread.concern.thread, superseded_by__isnull=True)
            data = self.data(story, ctx, thread.when, now, child, what=story.better)
            actions.do_correct_entry(acting=self.actor(by), entry=current, data=data, reason=reason.format_map(ctx),
                                     person=move_to.person if move_to else None)
            thread.child, thread.context = child, ctx
            self.watch(child, now)

        self.at(when, step)

    def record(self, child: Child, when, kind: str, story: T.Story, *, by: str, acts=(), key_event=False,
               ctx: dict | None = None) -> None:
        """An entry a lead or practitioner records (contact, meeting, referral, plan or note) at `when`."""
        def step(now):
            context = {**(ctx or self.context(child, by, by, now, story=story)), "time": now.strftime("%H:%M")}
            entry = actions.do_record_entry(
                acting=self.actor(by), person=child.person, kind=kind, data=self.data(story, context, now, now, child),
                new_actions=self.new_actions(acts, context, now, by, by), key_event=key_event,
            )
            self.follow_up(entry, acts, context, now, by, by)
            if story.categories:  # only then can a pattern rule fire
                self.watch(child, now)

        self.at(when, step)

    def new_actions(self, acts, ctx: dict, now, lead: str, writer: str) -> list[actions.NewAction]:
        owners = {"lead": lead, "writer": writer}
        return [
            actions.NewAction(act.description.format_map(ctx), owner_id=self.actor(owners.get(act.owner, act.owner))
                              .user.pk, due=school_day(now.date() + act.due_days * DAY, school=False))
            for act in acts
        ]

    def follow_up(self, entry: Entry, acts, ctx: dict, now, lead: str, writer: str) -> None:
        """Complete, in time, the actions that were done before the reference date; the rest stay open."""
        owners = {"lead": lead, "writer": writer}
        items = ActionItem.objects.filter(entry=entry).order_by("pk") if acts else []
        for item, act in zip(items, acts, strict=True):
            if not act.done or item.due >= REFERENCE_DATE - 3 * DAY or self.rng.random() < 0.1:
                continue
            done_at = max(at(item.due, 16, 0), now + datetime.timedelta(minutes=30))
            who, text = self.actor(owners.get(act.owner, act.owner)), act.done.format_map(ctx)
            self.at(done_at, lambda _, i=item, w=who, t=text: actions.do_complete_action(acting=w, item=i, outcome=t))

    def watch(self, child: Child, now) -> None:
        """Leads acknowledge a new alert the next working day, except in the last month before the reference date."""
        for alert in Alert.objects.filter(person=child.person, status=AlertStatus.OPEN):
            if alert.pk in self.seen_alerts:
                continue
            self.seen_alerts.add(alert.pk)
            if now.date() >= REFERENCE_DATE - OPEN_ALERT_DAYS * DAY:
                continue
            lead = self.rng.choice(self.leads)
            note = T.ALERT_NOTES.get(alert.rule, "Seen.").format_map(self.context(child, lead, lead, now))
            acknowledge = at(school_day(now.date() + DAY, school=False), 9, self.rng.randrange(0, 55, 5))
            self.at(acknowledge, self.acknowledger(alert, self.actor(lead), note))

    @staticmethod
    def acknowledger(alert: Alert, who: Actor, note: str):
        return lambda _: actions.do_acknowledge_alert(acting=who, alert=alert, note=note)


def _mark(code: str, note: str) -> actions.Mark:
    region = REGION_BY_CODE[code]
    return actions.Mark(side=region.side, region=code, x=region.x, y=region.y, note=note[:500])


# Ordinary chronologies ----------------------------------------------------------------------------


def ordinary(book: Book, child: Child) -> None:
    """One to six concerns on a theme, each decided, with the follow-up its decision calls for."""
    rng = book.rng
    arc = _arc(child, rng)
    stories = _stories(book, child, arc)
    days = _days(book, len(stories), (7, 60), child.since)
    for index, (day, story) in enumerate(zip(days, stories, strict=False)):
        outcome = _serious(story, _outcome(arc, index, len(days), rng))
        lead = rng.choice(book.leads)
        writer = lead if story.source else rng.choice(book.writers)  # notifications from other agencies reach leads
        other = book.children.other_for(child, rng) if story.needs_other else None
        if story.needs_other and other is None:
            continue
        rationale = _rationale(T.RATIONALES[outcome], rng, first=index == 0)
        decision = T.Decision(lead, outcome, rationale, T.ACTS.get(outcome, ()))
        thread = book.concern(child, book.moment(day), story, by=writer, decision=decision, other=other)
        if story.better and rng.random() < 0.4:
            book.correct(thread, _next_morning(thread), T.BETTER, story, writer)
        _follow(book, thread, outcome, lead, last=index == len(days) - 1 and arc != "single")


def _next_morning(thread: Thread) -> datetime.datetime:
    return at(school_day(thread.decided_at.date() + DAY, False), 8, 40)


def _arc(child: Child, rng) -> str:
    weights = (45, 30, 17, 8)
    if child.truth.key in _held_by("csc"):
        weights = (20, 25, 25, 30)
    elif child.truth.key in _held_by("early-help"):
        weights = (20, 30, 40, 10)
    return rng.choices(("single", "few", "early_help", "referred"), weights=weights)[0]


def _stories(book: Book, child: Child, arc: str) -> list[T.Story]:
    rng = book.rng
    themes = T.NURSERY_THEMES if book.key == "nursery" else T.SCHOOL_THEMES
    fitting = {name: [s for s in stories if child.fits(s)] for name, stories in themes.items()}
    names = [name for name in fitting if fitting[name]]
    theme = rng.choices(names, weights=[THEME_WEIGHTS[name] for name in names])[0]
    wanted = {"single": 1, "few": rng.randint(2, 3), "early_help": rng.randint(3, 5), "referred": rng.randint(3, 5)}
    pool = rng.sample(fitting[theme], len(fitting[theme]))
    rest = [s for name in names if name != theme for s in fitting[name]]
    pool += rng.sample(rest, min(len(rest), 6))
    chosen = [s for s in pool if not s.words][: wanted[arc] - (arc == "referred")]
    if arc == "referred":
        told = [s for s in fitting[theme] if s.words] or [s for name in names for s in fitting[name] if s.words]
        chosen += [rng.choice(told)] if told else []
    return chosen


def _days(book: Book, count: int, gaps: tuple[int, int], since: datetime.date) -> list[datetime.date]:
    """`count` days about `gaps` apart within the last two years, never before `since`."""
    rng, school, last = book.rng, book.key in SETTINGS, ago(LAST_ORDINARY_DAY)
    earliest = since + rng.randint(3, 30) * DAY
    days = [max(ago(rng.randint(30, 700)), earliest)]
    for _ in range(count - 1):
        days.append(days[-1] + rng.randint(*gaps) * DAY)
    shift = max(0, min((days[-1] - last).days, (days[0] - earliest).days))  # what does not fit is left out
    result: list[datetime.date] = []
    for day in days:
        day = school_day(max(day - shift * DAY, result[-1] + DAY if result else earliest), school)
        if day <= last:
            result.append(day)
    return result


def _outcome(arc: str, index: int, count: int, rng) -> str:
    if arc == "single":
        return rng.choices(("no_further_action", "monitor", "more_information", "share"), (35, 50, 10, 5))[0]
    if arc == "referred" and index == count - 1:
        return "refer_csc"
    if arc in ("early_help", "referred") and index == count - 2:
        return "early_help"
    return "monitor"


def _serious(story: T.Story, outcome: str) -> str:
    """No lead closes or merely watches a first sign of serious harm."""
    categories = set(story.categories)
    if categories & ALWAYS_REFERRED or (categories & SERIOUS and story.words):
        return "refer_csc"
    if categories & SERIOUS and outcome in ("no_further_action", "share"):
        return "more_information"
    return outcome


def _rationale(variants: tuple[str, ...], rng, first: bool = False) -> str:
    if len(variants) > 2 and rng.random() < 0.15:
        return variants[-1]  # the rushed one
    if first:
        return variants[0]
    return rng.choice(variants[:-1] if len(variants) > 2 else variants)


def _follow(book: Book, thread: Thread, outcome: str, lead: str, last: bool) -> None:
    rng, child, ctx, decided = book.rng, thread.child, thread.context, thread.decided_at
    if outcome == "refer_csc":
        book.record(child, later(decided, 20), "referral", T.S(T.REFERRAL), by=lead, key_event=True, ctx=ctx)
        feedback = at(school_day(decided.date() + DAY, False), 10, rng.randrange(0, 55, 5))
        book.record(child, feedback, "note", T.S(rng.choice(T.MASH_FEEDBACK)), by=lead, ctx=ctx)
    elif outcome == "early_help":
        meeting = school_day(decided.date() + rng.randint(14, 28) * DAY)
        book.record(child, at(meeting, 15, 30), "meeting", T.S(T.TAF_MEETING), by=lead, ctx=ctx)
        review = school_day(meeting + rng.randint(42, 70) * DAY)
        if review <= ago(LAST_ORDINARY_DAY):
            book.record(child, at(review, 15, 30), "meeting", T.S(rng.choice(T.TAF_REVIEW)), by=lead, ctx=ctx)
    elif outcome == "monitor" and last and rng.random() < 0.5:
        contact = at(school_day(decided.date() + DAY, False), 15, 20)
        book.record(child, contact, "contact", T.S(rng.choice(T.CONTACT)), by=lead, ctx=ctx)


def social_care(book: Book, child: Child) -> None:
    """A referral received, then visits, meetings and plans; now and then a concern the manager decides."""
    rng = book.rng
    steps = rng.choice(CSC_ARCS)
    days = _days(book, len(steps) + 1, (3, 40), child.since)
    if not days:
        return
    worker, manager = rng.choice(book.writers), book.leads[0]
    text, categories = rng.choice(T.CSC_REFERRALS)
    ctx = book.context(child, worker, manager, book.moment(days[0]), story=T.S(text, categories))
    book.record(child, book.moment(days[0]), "referral", T.S(text, categories), by=worker, key_event=True, ctx=ctx)
    for day, step in zip(days[1:], steps, strict=False):
        kind, text = T.CSC_STEPS[step]
        book.record(child, book.moment(day), kind, T.S(text), by=manager if step == 0 else worker, ctx=ctx)
    if len(days) > 2 and rng.random() < 0.4:
        story = rng.choice(T.CSC_CONCERNS)
        hurt = "physical-abuse" in story.categories
        outcome = "refer_police" if hurt else rng.choice(("monitor", "more_information"))
        decision = T.Decision(manager, outcome, rng.choice(T.SOCIAL_CARE_RATIONALES[outcome]))
        book.concern(child, book.moment(school_day(days[1] + DAY, False)), story, by=worker, decision=decision)


def early_help(book: Book, child: Child) -> None:
    """A request for support, the assessment and plan, reviews, and sometimes a new worry."""
    rng = book.rng
    steps = T.EARLY_HELP_STEPS[: rng.randint(1, len(T.EARLY_HELP_STEPS))]
    days = _days(book, len(steps) + 1, (10, 45), child.since)
    if not days:
        return
    worker, manager = rng.choice(book.writers), book.leads[0]
    request = replace(T.EARLY_HELP_CONCERNS[0], categories=rng.choice(T.EARLY_HELP_REQUESTS))
    rationale = T.EARLY_HELP_RATIONALES["early_help"][0]
    book.concern(child, book.moment(days[0]), request, by=worker, decision=T.Decision(manager, "early_help", rationale))
    for day, (kind, text) in zip(days[1:], steps, strict=False):
        book.record(child, book.moment(day), kind, T.S(text), by=worker)
    if len(days) > 2 and rng.random() < 0.35:
        outcome = rng.choice(("monitor", "refer_csc"))
        decision = T.Decision(manager, outcome, T.EARLY_HELP_RATIONALES[outcome][0])
        story = rng.choice(T.EARLY_HELP_CONCERNS[1:])
        book.concern(child, book.moment(days[-2] + DAY), story, by=worker, decision=decision)


def fresh(book: Book, days_before: int) -> None:
    """A concern logged in the last few days before the reference date, waiting in the inbox."""
    child = book.children.take(lambda c: True, book.rng)
    if child is None:
        return
    themes = T.NURSERY_THEMES if book.key == "nursery" else T.SCHOOL_THEMES
    stories = [s for stories in themes.values() for s in stories if child.fits(s) and not s.needs_other]
    if book.key not in SETTINGS:
        stories = [s for s in T.EARLY_HELP_CONCERNS[1:] + T.CSC_CONCERNS if child.fits(s)]
    day = school_day(ago(days_before), school=False)
    book.concern(child, book.moment(day), book.rng.choice(stories), by=book.rng.choice(book.writers), scripted=True)


# Scripted chronologies: the children a new user should look at -----------------------------------


def play(book: Book, child: Child, beats) -> None:
    for beat in beats:
        hour, minute = map(int, beat.at.split(":"))
        when = at(beat.day, hour, minute)
        if beat.kind != "concern":
            book.record(child, when, beat.kind, beat.story, by=beat.by, acts=beat.acts, key_event=beat.key_event)
            continue
        thread = book.concern(child, when, beat.story, by=beat.by, decision=beat.decision, read_by=beat.read_by,
                              scripted=True)
        if beat.correction:
            reason, story = beat.correction
            book.correct(thread, _next_morning(thread), reason, replace(story, better=story.what), beat.by)


def _maya(book: Book) -> Child | None:
    return book.children.take(lambda c: c.family.key == "F0000" and c.truth.given_name == "Maya")


def riverside(book: Book) -> None:
    maya = _maya(book)
    if maya is not None:
        play(book, maya, T.MAYA)
    household(book)
    twins(book)


def household(book: Book) -> None:
    """Concerns about the children of one household within weeks of each other: the siblings alert."""
    first = book.children.take(lambda c: c.family.key != "F0000" and 5 <= c.age <= 10 and c.since < ago(60)
                               and any(s.school_id == book.org.pk for s in c.siblings), book.rng)
    if first is None:
        return
    second = book.children.take(lambda c: c.family is first.family)
    neglect = T.SCHOOL_THEMES["neglect"]
    with_sibling = [s for s in neglect if s.needs_sibling]
    plan_ = ((first, 27, with_sibling[0], "alice", "monitor"), (second, 19, neglect[5], "frank", "monitor"),
             (first, 11, with_sibling[1], "alice", "early_help"))
    for child, days_before, story, lead, outcome in plan_:
        if child is None:
            continue
        acts = (T.Act("Offer {carer} an Early Help Assessment for the whole family", 5),) if outcome == "early_help" \
            else ()
        decision = T.Decision(lead, outcome, T.RATIONALES[outcome][0], acts)
        book.concern(child, book.moment(school_day(ago(days_before))), story, by=book.rng.choice(book.writers),
                     decision=decision)
    if second is not None:
        book.concern(second, book.moment(school_day(ago(4))), neglect[1], by="will")


def twins(book: Book) -> None:
    """A concern logged against the wrong twin, moved to the right one before it is decided."""
    for key_a, key_b in plan().twins():
        wrong = book.children.take(lambda c, k=key_a: c.truth.key == k and c.since < ago(160))
        if wrong is None:
            continue
        right = next((c for c in book.children.all if c.truth.key == key_b), None)
        if right is None:
            book.children.used.discard(wrong.person.pk)
            continue
        book.children.used.add(right.person.pk)
        story = T.SCHOOL_THEMES["injury"][2]
        when = book.moment(school_day(ago(150)))
        thread = book.concern(wrong, when, story, by="grace", read_by="alice", scripted=True)
        book.correct(thread, later(thread.read_at, 15), T.MOVED, replace(story, better=story.what), "alice", right)
        decision = T.Decision("alice", "no_further_action", T.RATIONALES["no_further_action"][1])
        book.decide(thread, decision, later(thread.read_at, 40))
        return


def hillside(book: Book) -> None:
    """Neglect accumulating over two months, after two earlier signs: the neglect alert, then a referral."""
    child = book.children.take(lambda c: 6 <= c.age <= 9 and c.carer_is != "parent" and c.since < ago(360), book.rng)
    if child is None:
        return
    stories = [s for s in T.SCHOOL_THEMES["neglect"] if child.fits(s) and not s.better]
    outcomes = ("monitor", "monitor", "monitor", "monitor", "early_help", "monitor", "refer_csc")
    for index, days_before in enumerate((350, 260, 55, 41, 27, 16, 10)):
        outcome = outcomes[index]
        lead = "carol" if outcome != "monitor" else book.rng.choice(book.leads)
        decision = T.Decision(lead, outcome, T.RATIONALES[outcome][0], T.ACTS.get(outcome, ()))
        story = stories[index % len(stories)]
        thread = book.concern(child, book.moment(school_day(ago(days_before))), story, by="ivy", decision=decision)
        _follow(book, thread, outcome, lead, last=False)


def academy(book: Book) -> None:
    """Repeated missing episodes and signs of criminal exploitation: the absence alert, then referrals."""
    settled = lambda c: 13 <= c.age <= 15 and c.since < ago(210)  # noqa: E731
    child = book.children.take(lambda c: settled(c) and c.truth.key in _held_by("csc"), book.rng) \
        or book.children.take(settled, book.rng)
    if child is None:
        return
    attendance = T.SCHOOL_THEMES["attendance"][0]
    missing = T.SCHOOL_THEMES["exploitation"][:4]
    for story, days_before, outcome in ((attendance, 200, "monitor"), (missing[0], 48, "more_information"),
                                        (missing[1], 34, "refer_police"), (missing[2], 20, "refer_csc"),
                                        (missing[3], 13, "refer_police")):
        decision = T.Decision("nadia", outcome, T.RATIONALES[outcome][0], T.ACTS.get(outcome, ()))
        by = "nadia" if story.source else "paula"
        thread = book.concern(child, book.moment(school_day(ago(days_before))), story, by=by, decision=decision)
        _follow(book, thread, outcome, "nadia", last=False)


def social_care_script(book: Book) -> None:
    maya = _maya(book)
    if maya is not None:
        play(book, maya, T.MAYA_AT_SOCIAL_CARE)


SCRIPTS: dict[str, Callable[[Book], None]] = {
    "riverside": riverside, "hillside": hillside, "academy": academy, "csc": social_care_script,
}
