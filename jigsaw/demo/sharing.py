"""The demo's sharing: agreements, decisions, disclosures in every state, requests, advice and reviews.

Everything is written through `jigsaw.sharing.actions` by the demo's people at fixed times before
REFERENCE_DATE, so decisions, snapshots, receipts, chases, the senders' chronology entries and the
ledger are real, and "sent on Tuesday, still unread" is true. Each scene is keyed on something it
writes (a decision's purpose, a request's reason, an agreement's title), so a second load adds
nothing. Nobody is e-mailed: all of it happened in the past.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.models import Membership, Organisation, OrganisationKind, User
from jigsaw.chronology import actions as chronology
from jigsaw.chronology.models import Alert, AlertStatus, Concern, ConcernStatus, Entry, EntryKind
from jigsaw.demo import KNOWN_RIVERSIDE_CHILD, REFERENCE_DATE
from jigsaw.demo.chronology import LONDON, TEAMS, ago, at, school_day
from jigsaw.guidance.sharing import ConsentStatus, LawfulBasis, Outcome, SpecialCondition, Urgency
from jigsaw.people import actions as people
from jigsaw.people.models import Person, Relationship
from jigsaw.sharing import access, actions, notify
from jigsaw.sharing.forms.advice import describe_draft
from jigsaw.sharing.models import AdviceRequest, Agreement, Decision, Disclosure, PromptResponse, Request

REFERENCE_MOMENT = datetime.datetime.combine(REFERENCE_DATE, datetime.time(0, 0), LONDON)
MINUTE = datetime.timedelta(minutes=1)
WRITTEN = (EntryKind.CONCERN, EntryKind.DISCLOSURE)
PARA_18 = "DPA 2018 Schedule 1 Part 2 paragraph 18: safeguarding of children and individuals at risk"
INFORMANT_REASON = "Informant: a parent who told the school about shouting at a pupil's home and fears reprisals"

MAIN = "Westbridge multi-agency safeguarding information sharing agreement"
ENCOMPASS = "Operation Encompass notifications"
MISSING = "Missing children: return home interviews"
SCHOOLS = ("riverside", "hillside", "st-annes", "brookfield", "academy", "oakfield", "nursery")
AGREEMENTS = (
    (MAIN, "WSCP-ISA-01", "all", datetime.date(2025, 4, 1), datetime.date(2027, 3, 31), {
        "purposes": "To share information about children who may be in need or at risk of significant harm, so that "
                    "partners can identify, assess and protect them in time (Working Together to Safeguard Children "
                    "2023; Children Act 2004 s16LA).",
        "data_items": "The child's identity and the consistent identifier (NHS number); members of the household; "
                      "concerns, disclosures in the child's words, injuries and body maps; attendance; referrals, "
                      "assessments, plans and the outcomes of meetings; health information relevant to safeguarding.",
        "recipients": "Safeguarding leads and their deputies, social workers, team managers, MASH officers, police "
                      "public protection officers and NHS safeguarding leads of the parties.",
    }),
    (ENCOMPASS, "WSCP-ISA-02", "encompass", datetime.date(2023, 12, 15), datetime.date(2026, 12, 15), {
        "purposes": "So that a child's school or nursery knows, before the next school day starts, that the police "
                    "attended a domestic abuse incident where the child lives, and can support the child.",
        "data_items": "The child's name, date of birth and school; the date and time of the incident; whether the "
                      "child was present; the officer's name and how to contact them.",
        "recipients": "The designated safeguarding lead of the child's school or nursery, or their deputy.",
    }),
    (MISSING, "WSCP-ISA-03", "missing", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30), {
        "purposes": "To trace children reported missing from home or care, and to offer each one an independent "
                    "return home interview within 72 hours of coming back.",
        "data_items": "The child's identity; dates and times missing and found; where the child was found and with "
                      "whom; what the child said in the return home interview; risks of exploitation.",
        "recipients": "Police missing persons coordinators, social workers, early help workers and the safeguarding "
                      "leads of secondary schools.",
    }),
)
PARTIES = {
    "all": None,
    "encompass": ("police", *SCHOOLS),
    "missing": ("police", "csc", "mash", "early-help", "academy", "oakfield"),
}
AGREEMENT_COMMON = {
    "lawful_basis": LawfulBasis.PUBLIC_TASK,
    "special_condition": SpecialCondition.SAFEGUARDING,
    "criminal_condition": PARA_18,
    "accuracy": "Facts are kept apart from opinion; each party corrects what it sent and tells the recipients.",
    "security": "Shared only through Jigsaw: never as e-mail attachments. Recipients outside the partnership get a "
                "link and a code sent another way.",
    "retention": "Each party keeps what it receives under its own retention schedule: children's safeguarding "
                 "records until the child's 25th birthday.",
    "rights_contact": "Westbridge Safeguarding Children Partnership, partnership@partnership.example.org, "
                      "01632 960110",
    "breach_handling": "Tell the partnership's data protection lead within 24 hours; the party that caused the "
                       "breach reports it to the ICO within 72 hours if it must be reported.",
}


@dataclass
class Counts:
    agreements: int = 0
    decisions: int = 0
    disclosures: int = 0
    requests: int = 0
    prompt_responses: int = 0
    entries: int = 0  # the senders' records of each decision, and what the scenes add to chronologies


MODELS = {"agreements": Agreement, "decisions": Decision, "disclosures": Disclosure, "requests": Request,
          "prompt_responses": PromptResponse, "entries": Entry}


def ensure_sharing(orgs: dict[str, Organisation], users: dict[str, User]) -> Counts:
    """Write each sharing scene whose key is missing; answer the demo's old "don't assume" prompts."""
    before = {name: model.objects.count() for name, model in MODELS.items()}
    # The sharing actions e-mail people once the transaction commits; nobody needs telling about the past.
    with transaction.atomic(), notify.quiet():
        desk = Desk(orgs, users)
        if desk.ready():
            desk.agreements = ensure_agreements(desk)
            left = triaged(desk, "riverside", ("refer_csc",))
            if left is not None:  # referred by telephone, never shared in writing: the prompt stays for Alice
                desk.used.add(left.person_id)
                desk.left_for_alice = left.pk
            for scene in SCENES:
                scene(desk)
            answer_old_prompts(desk)
    return Counts(**{name: model.objects.count() - before[name] for name, model in MODELS.items()})


class Desk:
    """The demo's organisations and people, each acting for one organisation, and what the scenes share."""

    NEEDED = ("partnership", "csc", "riverside", "hillside", "brookfield", "academy", "oakfield", "early-help",
              "police", "trust")

    def __init__(self, orgs: dict[str, Organisation], users: dict[str, User]):
        self.orgs = orgs
        self.agreements: dict[str, Agreement] = {}
        keys = {org.pk: key for key, org in orgs.items()}
        memberships = Membership.objects.filter(
            user__in=users.values(), organisation__in=orgs.values(), ended_at__isnull=True
        ).select_related("user", "organisation")
        self.actors = {(m.user.email.split("@")[0], keys[m.organisation_id]): Actor.for_membership(m)
                       for m in memberships}
        self.used: set[int] = set()  # children a scene has shared about, so scenes do not collide
        self.left_for_alice: int | None = None

    def ready(self) -> bool:
        return all(key in self.orgs for key in self.NEEDED) and ("alice", "riverside") in self.actors

    def who(self, name: str, key: str) -> Actor:
        return self.actors[(name, key)]

    def has(self, *pairs) -> bool:
        return all(pair in self.actors for pair in pairs)


# Agreements -----------------------------------------------------------------------------------


def ensure_agreements(desk: Desk) -> dict[str, Agreement]:
    la = desk.orgs["partnership"].local_authority
    have = {a.title: a for a in Agreement.objects.filter(local_authority=la, title__in=[a[0] for a in AGREEMENTS])}
    for title, reference, parties, starts, review, text in AGREEMENTS:
        if title in have or not desk.has(("admin", "partnership")):
            continue
        keys = PARTIES[parties] or [key for key in desk.orgs if key != "partnership"]
        values = {**AGREEMENT_COMMON, **text, "title": title, "reference": reference, "starts_on": starts,
                  "review_date": review}
        have[title] = actions.do_save_agreement(acting=desk.who("admin", "partnership"), values=values,
                                                parties=[desk.orgs[key] for key in keys])
    return have


# Finding the children and their entries -----------------------------------------------------------


def written(person: Person, kinds=WRITTEN, categories=()) -> list[Entry]:
    """The child's current demo entries of these kinds (any of these categories), oldest first."""
    entries = Entry.objects.filter(person=person, superseded_by__isnull=True, kind__in=kinds,
                                   recorded_at__lt=REFERENCE_MOMENT).order_by("sort_date", "recorded_at", "pk")
    return [e for e in entries if not categories or set(e.categories) & set(categories)]


def triaged(desk: Desk, key: str, outcomes, since: datetime.date | None = None, until=REFERENCE_DATE) -> Entry | None:
    """The most recent demo triage decision with one of `outcomes`, about a child no scene has used."""
    return (Entry.objects.filter(organisation=desk.orgs[key], kind=EntryKind.TRIAGE, triage_outcome__in=outcomes,
                                 superseded_by__isnull=True, sort_date__gte=since or ago(730), sort_date__lt=until)
            .exclude(person__in=desk.used).exclude(person__given_name=KNOWN_RIVERSIDE_CHILD[0],
                                                    person__family_name=KNOWN_RIVERSIDE_CHILD[1])
            .select_related("person").order_by("-recorded_at", "-pk").first())


def record_of(desk: Desk, key: str, like: Person) -> Person | None:
    """The organisation's own record of a child another organisation holds."""
    people_there = Person.objects.filter(organisation=desk.orgs[key])
    if like.nhs_number:
        found = people_there.filter(nhs_number=like.nhs_number).first()
        if found:
            return found
    return people_there.filter(given_name=like.given_name, family_name=like.family_name,
                               date_of_birth=like.date_of_birth).first()


def maya(desk: Desk, key: str) -> Person | None:
    given, family, born = KNOWN_RIVERSIDE_CHILD
    return Person.objects.filter(organisation=desk.orgs[key], given_name=given, family_name=family,
                                 date_of_birth=born).first()


def carer(person: Person) -> str:
    link = (Relationship.objects.filter(person=person, lives_with=True, kind__in=("parent", "carer"))
            .select_related("relative").order_by("pk").first())
    return link.relative.full_name if link else "the parent"


def after(entries, moment: datetime.datetime) -> datetime.datetime:
    """`moment`, or a little after the last of `entries` was written if that is later."""
    return max([moment, *[e.recorded_at + 15 * MINUTE for e in entries]])


def count(number: int, noun: str, plural: str = "") -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return f"{words[number] if number < 10 else number} {noun if number == 1 else plural or noun + 's'}"


def day_of(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(LONDON):%-d %B %Y}"


# Deciding and sending ---------------------------------------------------------------------------


def decided(org: Organisation, person: Person, purpose: str) -> bool:
    return Decision.objects.filter(organisation=org, person=person, purpose=purpose).exists()


def decision(**values) -> actions.DecisionData:
    base = {"outcome": Outcome.SHARE, "consent": ConsentStatus.NOT_SOUGHT_RISK, "lawful_basis": LawfulBasis.PUBLIC_TASK}
    return actions.DecisionData(**{**base, **values})


def send(actor: Actor, person: Person, entries, data: actions.DecisionData, when, *, draft=None) -> actions.Sent:
    draft = draft or actions.do_start_draft(acting=actor, person=person, entry_ids=[e.pk for e in entries])
    return actions.do_decide(acting=actor, draft=draft, data=data, now=when,
                             shareable=access.shareable_entries(actor, person))


def briefing(actor: Actor, draft, data: actions.DecisionData, recipient: str) -> dict:
    """What the adviser sees, as the "ask for advice" page builds it: the draft decision and the redacted preview."""
    built = actions.preview(acting=actor, draft=draft, entries=actions.entries_for(
        draft, access.shareable_entries(actor, draft.person)), recipient_label=recipient, purpose=data.purpose)
    decision = data.as_draft()
    agreement = data.agreement.title if data.agreement else ""
    return {"decision": decision, "summary": describe_draft(decision, recipient_label=recipient,
                                                            agreement_title=agreement),
            "preview": built.content, "redaction_count": built.redaction_count}


# Maya Thompson: Riverside School to children's social care, and back -------------------------------


def maya_to_social_care(desk: Desk) -> None:
    """The bruising, what a parent reported, Maya's words and the referral, with the parent's name removed."""
    child, csc = maya(desk, "riverside"), desk.orgs["csc"]
    if child is None or not desk.has(("erin", "riverside"), ("dan", "csc")):
        return
    desk.used.add(child.pk)
    purpose = ("So that Westbridge Children's Social Care can decide today on a strategy discussion and section 47 "
               "enquiries after Maya's disclosure, with the school's written record behind the telephone referral")
    if decided(desk.orgs["riverside"], child, purpose):
        return
    bruising = [e for e in written(child, categories=("physical-abuse",)) if e.sort_date == ago(18)]
    words = [e for e in written(child, (EntryKind.DISCLOSURE,)) if e.sort_date == ago(10)]
    referral = [e for e in written(child, (EntryKind.REFERRAL,)) if e.sort_date == ago(10)]
    informant = pick_informant(desk, away_from=child)
    if not (bruising and words and referral and informant):
        return
    alice, erin, dan = desk.who("alice", "riverside"), desk.who("erin", "riverside"), desk.who("dan", "csc")
    report = parent_report(alice, child, informant)
    entries = [bruising[0], report, words[0], referral[0]]
    sent_at = after(entries, at(ago(10), 12, 5))
    craig = Person.objects.filter(organisation=child.organisation, given_name="Craig", family_name="Wilson").first()
    data = decision(
        purpose=purpose, recipient=csc, agreement=desk.agreements.get(MAIN), others=[craig] if craig else [],
        special_category=True, special_condition=SpecialCondition.SAFEGUARDING, criminal_offence_data=True,
        criminal_condition=PARA_18, child_told=True, carers_told=False,
        not_told_reason="Sarah Thompson was not told first: Craig Wilson lives in the household, and telling her "
                        "before children's social care has spoken to her could put Maya at greater risk. Maya was "
                        "told that I must pass on what she said so that adults can help keep her safe.",
        rationale="Maya has disclosed that Craig Wilson, her mother's partner, pushed her into a door, and says she "
                  "does not want to go home. With the bruising in a finger pattern seen on 14 October, a parent's "
                  "report of shouting at the house and the return of neglect, she may be suffering significant harm. "
                  "Children's social care need the school's written record now to decide on a strategy discussion. "
                  "These four entries are what they need; nothing else from her file is shared today.",
    )
    draft = actions.do_start_draft(acting=alice, person=child, entry_ids=[e.pk for e in entries])
    actions.do_update_draft(acting=alice, draft=draft, decision=data.as_draft())
    answer = ask_erin(desk, alice, draft, data, sent_at)
    data.advice_sought, data.advice_from, data.advice_given = True, "Erin Walsh, data protection officer", answer
    sent = send(alice, child, entries, data, sent_at, draft=draft)
    actions.do_open(acting=dan, disclosure=sent.disclosure, now=sent_at + 35 * MINUTE)
    actions.do_acknowledge(
        acting=dan, disclosure=sent.disclosure, now=at(ago(10), 16, 10),
        action_taken="Strategy discussion held at 14:30 today, chaired by Fiona Grant with the police, the school and "
                     "health; section 47 enquiries have started jointly with Westbridge Police. Craig Wilson has "
                     "agreed to stay away from the home while enquiries continue. I will see Maya alone at school.",
    )
    actions.do_review(acting=erin, decision=sent.decision, finding="sound", now=at(ago(6), 10, 0),
                      notes="Sound. Consent was rightly not sought and the reason for not telling Sarah Thompson is "
                            "recorded. The lawful basis, the paragraph 18 condition and the agreement are cited, the "
                            "parent who reported the shouting was redacted, and only four entries were sent.")


def pick_informant(desk: Desk, away_from: Person) -> Person | None:
    """A Riverside parent with no part in any chronology, whose names appear in none of Riverside's entries.

    Not at the child's postcode: the child's own address would then be withheld from the recipient too.
    """
    riverside = desk.orgs["riverside"]
    marked = Person.objects.filter(organisation=riverside, protected_identity_reason=INFORMANT_REASON).first()
    if marked:
        return marked
    # Plain queries: inside the load's transaction the planner has no statistics for these tables yet.
    in_chronologies = set(Entry.objects.filter(organisation=riverside).values_list("person_id", flat=True))
    links = Relationship.objects.filter(relative__organisation=riverside, kind="parent")
    children_of: dict[int, set[int]] = {}
    for parent_id, child_id in links.values_list("relative_id", "person_id"):
        children_of.setdefault(parent_id, set()).add(child_id)
    quiet = [pk for pk, children in children_of.items() if not children & in_chronologies]
    parents = (Person.objects.filter(pk__in=quiet, sex="female", protected_identity=False,
                                     date_of_birth__lt=datetime.date(2000, 1, 1))
               .exclude(family_name__in=("Thompson", "Wilson")).exclude(postcode=away_from.postcode)
               .order_by("family_name", "given_name", "date_of_birth")[:40])
    for parent in parents:
        named = Q()
        for name in (parent.given_name, parent.family_name):
            named |= Q(what_happened__icontains=name) | Q(present__icontains=name) | Q(actions_taken__icontains=name)
        if not Entry.objects.filter(named, organisation=riverside).exists():
            return parent
    return None


def parent_report(alice: Actor, child: Person, informant: Person) -> Entry:
    """What the informant told Alice the day before Maya's disclosure; she is protected first."""
    people.do_update_person(acting=alice, person=informant,
                            data={"protected_identity": True, "protected_identity_reason": INFORMANT_REASON})
    name = informant.full_name
    data = chronology.EntryData(
        what_happened=f"At pick-up {name}, who lives near the family and whose child is in another class, asked to "
                      "speak to me privately. She said that on several evenings this month she has heard shouting "
                      "and banging from the Thompsons' house, and that on Monday after 22:00 she heard a child "
                      "crying 'stop, stop'. She asked that her name is not passed on, because she is frightened of "
                      "Craig Wilson.",
        actions_taken="Thanked her and explained that I may need to share what she told me with children's social "
                      "care, with her name removed. Marked her as a protected identity.",
        present=f"Alice Adeyemi (DSL) and {name}", location="Family room", event_date=ago(11),
        event_time=datetime.time(15, 25), recorded_at=at(ago(11), 15, 50),
    )
    return chronology.do_record_entry(acting=alice, person=child, kind=EntryKind.CONTACT, data=data)


def ask_erin(desk: Desk, alice: Actor, draft, data: actions.DecisionData, sent_at) -> str:
    erin = desk.who("erin", "riverside")
    asked = sent_at - 30 * MINUTE
    advice = actions.do_ask_advice(
        acting=alice, draft=draft, adviser=erin.membership, due_at=sent_at + 30 * MINUTE, now=asked,
        briefing=briefing(alice, draft, data, desk.orgs["csc"].name),
        question="Maya disclosed this morning that Craig Wilson hurt her. I want to send children's social care the "
                 "bruising, her words, what a parent told me yesterday and the referral, without telling Sarah "
                 "Thompson first. The parent asked not to be named. Is that right, and is anything else needed?",
    )
    answer = ("Share now: this is what the multi-agency agreement is for. Public task is the right basis; the bruising "
              "and her words are special category data, so use the paragraph 18 safeguarding condition. Do not tell "
              "Sarah Thompson first, and write down why. The parent is marked as protected, so her name comes out "
              "of what you send automatically: check the preview before you send.")
    actions.do_give_advice(acting=erin, advice=advice, answer=answer, now=asked + 15 * MINUTE)
    return answer


def social_care_to_riverside(desk: Desk) -> None:
    """Sent on Friday afternoon and not yet opened: what the strategy discussion agreed, for the school."""
    child = maya(desk, "csc")
    if child is None or not desk.has(("dan", "csc")):
        return
    purpose = "So that Riverside School can support Maya in school and prepare its report for her child protection " \
              "conference"
    entries = [e for e in written(child, (EntryKind.MEETING, EntryKind.CONTACT)) if e.sort_date in (ago(10), ago(5))
               and (e.kind == EntryKind.MEETING or e.sort_date == ago(5))]
    if decided(desk.orgs["csc"], child, purpose) or len(entries) != 2:
        return
    send(desk.who("dan", "csc"), child, entries, decision(
        purpose=purpose, recipient=desk.orgs["riverside"], agreement=desk.agreements.get(MAIN),
        consent=ConsentStatus.NOT_SOUGHT_OTHER, carers_told=True,
        consent_detail="Shared as part of section 47 enquiries; Sarah Thompson knows the school is part of them, "
                       "and consent is not the basis for sharing.",
        rationale="The strategy discussion made the school part of Maya's safety plan. Riverside needs to know what "
                  "was agreed and what Maya said when seen alone, to support her in class and to report to the "
                  "conference. The home visit and the police information are not needed and are not shared.",
    ), after(entries, at(ago(2), 15, 40)))


# Disclosures in every other state ----------------------------------------------------------------


def evie_to_police(desk: Desk) -> None:
    """An emergency share outside any agreement; opened by the police the next morning, not acknowledged."""
    triage = triaged(desk, "academy", ("refer_police",), since=ago(30))
    if triage is None or not desk.has(("nadia", "academy"), ("tom", "police")):
        return
    child = triage.person
    desk.used.add(child.pk)
    purpose = f"So that Westbridge Police can act today to protect {child.given_name} from the people threatening " \
              f"{child.given_name}, and investigate the exploitation"
    entries = [e for e in written(child, categories=("child-criminal-exploitation", "missing"))
               if e.sort_date >= ago(45)]
    if decided(desk.orgs["academy"], child, purpose) or not entries:
        return
    name = child.given_name
    sent = send(desk.who("nadia", "academy"), child, entries, decision(
        purpose=purpose, recipient=desk.orgs["police"], emergency=True, lawful_basis=LawfulBasis.VITAL_INTERESTS,
        criminal_offence_data=True, criminal_condition=PARA_18, child_told=True,
        not_told_reason=f"{name} is frightened that the people {name} owes money to will find out. Telling "
                        f"{carer(child)} before the police have acted could put {name} at greater risk.",
        rationale=f"{name} told me this morning that {name} owes money to people who say they will come to the house "
                  f"if {name} does not do what they say. With two missing episodes and older young men picking "
                  f"{name} up at the gate, {name} may be in danger tonight. This is an emergency: I shared it at once, "
                  "outside the routine agreement, and told children's social care by telephone.",
    ), after([triage, *entries], triage.recorded_at))
    actions.do_open(acting=desk.who("tom", "police"), disclosure=sent.disclosure,
                    now=at(school_day(sent.disclosure.sent_at.date() + datetime.timedelta(days=1), False), 8, 50))


def hillside_to_early_help(desk: Desk) -> None:
    """Sent on Tuesday, unread, and chased on Thursday."""
    triage = triaged(desk, "hillside", ("refer_csc",), since=ago(20))
    if triage is None or not desk.has(("carol", "hillside"), ("jasmine", "early-help")):
        return
    child = triage.person
    desk.used.add(child.pk)
    purpose = f"So that Westbridge Early Help Service has the school's record of neglect for {child.given_name}'s " \
              "Early Help Assessment, after the MASH stepped the referral down"
    entries = written(child)[-7:]
    if decided(desk.orgs["hillside"], child, purpose) or not entries:
        return
    carol = desk.who("carol", "hillside")
    sent = send(carol, child, entries, decision(
        purpose=purpose, recipient=desk.orgs["early-help"], agreement=desk.agreements.get(MAIN),
        consent=ConsentStatus.GIVEN, child_told=True, carers_told=True, special_category=True,
        special_condition=SpecialCondition.SAFEGUARDING,
        rationale=f"The MASH stepped the referral down to early help with {carer(child)}'s consent. The early help "
                  f"worker needs the school's record of hunger, hygiene, health and late collection to plan support: "
                  f"{count(len(entries), 'concern')} since {day_of(entries[0].recorded_at)}. Nothing else is shared.",
    ), after(entries, at(ago(5), 10, 30)))
    actions.do_chase(acting=carol, disclosure=sent.disclosure, now=at(ago(3), 9, 20))


def brookfield_to_social_care(desk: Desk) -> None:
    """Shared over a parent's objection; unread and overdue, not yet chased."""
    triage = triaged(desk, "brookfield", ("refer_csc",), since=ago(120))
    if triage is None or not desk.has(("leila", "brookfield")):
        return
    child = triage.person
    desk.used.add(child.pk)
    name, parent = child.given_name, carer(child)
    purpose = f"So that Westbridge Children's Social Care has Brookfield's record for {name}'s child and family " \
              "assessment"
    entries = written(child)[-4:]
    if decided(desk.orgs["brookfield"], child, purpose) or not entries:
        return
    send(desk.who("leila", "brookfield"), child, entries, decision(
        purpose=purpose, recipient=desk.orgs["csc"], agreement=desk.agreements.get(MAIN), carers_told=True,
        consent=ConsentStatus.REFUSED_OVERRIDDEN,
        objections=f"{parent} said the school should not send anything more to social care, because 'it has all "
                   "been dealt with'.",
        objections_weighed=f"I listened to {parent}'s reasons and explained why we share. The assessment cannot be "
                           f"completed without the school's view of {name}'s day-to-day care, and the risk to {name} "
                           f"outweighs the wish for privacy.",
        rationale=f"The social worker asked for the school's record for the assessment that followed our referral on "
                  f"{day_of(triage.recorded_at)}. Only what bears on {name}'s care is shared "
                  f"({count(len(entries), 'entry', 'entries')}): it is necessary and proportionate.",
    ), after(entries, at(ago(6), 14, 10)))


def oakfield_to_swimming_club(desk: Desk) -> None:
    """A recipient outside the partnership: a secure link and a code by phone, never opened."""
    triage = triaged(desk, "oakfield", ("refer_csc",))
    if triage is None or not desk.has(("quentin", "oakfield")):
        return
    child = triage.person
    desk.used.add(child.pk)
    name, parent = child.given_name, carer(child)
    purpose = f"So that the swimming club's welfare officer can keep {name} safe at training under the school's " \
              "safety plan"
    entries = written(child, (EntryKind.CONCERN,), ("child-criminal-exploitation",))[-1:]
    if decided(desk.orgs["oakfield"], child, purpose) or not entries:
        return
    send(desk.who("quentin", "oakfield"), child, entries, decision(
        purpose=purpose, external_name="Sam Okafor", external_role="Club welfare officer",
        external_organisation="Westbridge Swimming Club", external_email="welfare@westbridgeswimming.example.org",
        external_phone="01632 960555", lawful_basis=LawfulBasis.LEGITIMATE_INTERESTS, consent=ConsentStatus.GIVEN,
        child_told=True, carers_told=True,
        external_reason=f"{name} trains at the club three evenings a week. The welfare officer needs to know that "
                        f"only {parent} may collect {name}, so that the safety plan holds outside school.",
        rationale=f"{parent} and {name} agreed that the club should know. Only the concern about older young men at "
                  f"the gate is shared: it is what the welfare officer needs to recognise the risk. The referrals "
                  f"and {name}'s own words stay with the school.",
    ), after(entries, at(ago(4), 11, 0)))


def riverside_update_to_early_help(desk: Desk) -> None:
    """Acknowledged; then an entry was corrected at the source and the correction sent as an update."""
    triage = triaged(desk, "riverside", ("early_help",), since=ago(75), until=ago(8))
    if triage is None or not desk.has(("jasmine", "early-help")):
        return
    child = triage.person
    desk.used.add(child.pk)
    name, parent = child.given_name, carer(child)
    purpose = f"So that Westbridge Early Help Service can start the Early Help Assessment for {name}'s family with " \
              "what the school has seen"
    entries = [e for e in written(child) if e.recorded_at < triage.recorded_at][-3:]
    if decided(desk.orgs["riverside"], child, purpose) or not entries:
        return
    alice, jasmine = desk.who("alice", "riverside"), desk.who("jasmine", "early-help")
    sent_at = after(entries, at(school_day(triage.sort_date + datetime.timedelta(days=1), False), 10, 30))
    sent = send(alice, child, entries, decision(
        purpose=purpose, recipient=desk.orgs["early-help"], agreement=desk.agreements.get(MAIN),
        consent=ConsentStatus.GIVEN, child_told=True, carers_told=True,
        rationale=f"{parent} agreed to early help. The early help worker needs the school's recent concerns to plan "
                  f"the first visit ({count(len(entries), 'entry', 'entries')}); older records are not needed.",
    ), sent_at)
    opened = at(school_day(sent_at.date() + datetime.timedelta(days=1), False), 9, 15)
    actions.do_open(acting=jasmine, disclosure=sent.disclosure, now=opened)
    actions.do_acknowledge(acting=jasmine, disclosure=sent.disclosure, now=opened + 105 * MINUTE,
                           action_taken=f"Allocated to Kyle Bennett, who will visit {parent} this week to start the "
                                        "Early Help Assessment.")
    correct(desk, entries[-1], f"{parent} was told the same afternoon, by telephone, what the school had seen.",
            f"Added that {parent} was told the same afternoon; this was left out of the first record.")
    actions.do_send_update(acting=alice, disclosure=sent.disclosure, now=at(ago(6), 9, 30),
                           shareable=access.shareable_entries(alice, child))


def correct(desk: Desk, entry: Entry, addition: str, reason: str) -> Entry:
    author = entry.author.email.split("@")[0] if entry.author else "alice"
    actor = desk.actors.get((author, "riverside")) or desk.who("alice", "riverside")
    data = chronology.EntryData(
        what_happened=entry.what_happened, childs_words=entry.childs_words, event_date=entry.event_date,
        event_time=entry.event_time, location=entry.location, present=entry.present,
        actions_taken=f"{entry.actions_taken} {addition}".strip(), categories=list(entry.categories),
        involvements=[(i.person, i.part) for i in entry.involvements.all()], source=entry.source,
        marks=[chronology.Mark(m.side, m.region, m.x, m.y, m.note) for m in entry.marks.all()],
        recorded_at=at(ago(6), 8, 45),
    )
    return chronology.do_correct_entry(acting=actor, entry=entry, data=data, reason=reason)


def riverside_withholds(desk: Desk) -> None:
    """A decision not to share, with its reasons: for the governance review."""
    year_6 = (datetime.date(2015, 9, 1), datetime.date(2016, 8, 31))
    child = (Person.objects.filter(organisation=desk.orgs["riverside"], school=desk.orgs["riverside"],
                                   date_of_birth__range=year_6, protected_identity=False)
             .filter(Exists(Entry.objects.filter(person=OuterRef("pk"), kind=EntryKind.CONCERN)))
             .exclude(pk__in=desk.used).order_by("family_name", "given_name", "pk").first())
    if child is None:
        return
    desk.used.add(child.pk)
    name = child.given_name
    purpose = f"Oakfield House School asked whether Riverside has any safeguarding concerns about {name}, who has " \
              "applied for a Year 7 place next September"
    if decided(desk.orgs["riverside"], child, purpose):
        return
    alice = desk.who("alice", "riverside")
    send(alice, child, [], decision(
        outcome=Outcome.WITHHOLD, purpose=purpose, recipient=desk.orgs["oakfield"], lawful_basis="",
        consent=ConsentStatus.NOT_SOUGHT_OTHER, consent_detail="Nothing was shared, so consent was not needed.",
        carers_told=True,
        rationale=f"{name} has not been offered a place and no move is planned before September. Sharing {name}'s "
                  "file now with a school that may never admit them would not be necessary or proportionate "
                  "(golden rule 6). If the move goes ahead, the child-protection file will transfer under KCSIE "
                  "within five school days of the start.",
    ), at(ago(5), 15, 0))


# Requests for information -------------------------------------------------------------------------


def asked(requester: Organisation, holder: Organisation, reason: str) -> bool:
    return Request.objects.filter(requester=requester, holder=holder, reason=reason).exists()


def ask(actor: Actor, holder: Organisation, child: Person, reason: str, wanted: str, when, *,
        urgency=Urgency.STANDARD, own: Person | None = None) -> Request:
    data = actions.RequestData(
        holder=holder, given_name=child.given_name, family_name=child.family_name, reason=reason,
        information_wanted=wanted, urgency=urgency, date_of_birth=child.date_of_birth, nhs_number=child.nhs_number,
        address=child.address, requester_person=own,
    )
    return actions.do_request(acting=actor, data=data, now=when)


def social_care_asks_riverside(desk: Desk) -> None:
    """A standard request, open and not yet due on the reference date."""
    csc, riverside = desk.orgs["csc"], desk.orgs["riverside"]
    held = (Person.objects.filter(organisation=csc, school=riverside)
            .exclude(family_name=KNOWN_RIVERSIDE_CHILD[1])
            .filter(Exists(Entry.objects.filter(person=OuterRef("pk"), kind=EntryKind.REFERRAL)))
            .order_by("family_name", "given_name", "pk"))
    child = next((p for p in held if (r := record_of(desk, "riverside", p)) and r.pk not in desk.used), None)
    if child is None or not desk.has(("dan", "csc")):
        return
    desk.used.add(record_of(desk, "riverside", child).pk)
    referral = written(child, (EntryKind.REFERRAL,))[-1]
    reason = f"We are completing a child and family assessment for {child.given_name} after a referral on " \
             f"{day_of(referral.recorded_at)}, and need the school's view."
    if asked(csc, riverside, reason):
        return
    ask(desk.who("dan", "csc"), riverside, child, reason, when=at(ago(2), 11, 0), own=child,
        wanted=f"Attendance this term, how {child.given_name} presents in school, any concerns recorded since "
               "September, and who usually brings and collects them.")


def police_ask_the_academy(desk: Desk) -> None:
    """An urgent request from the police, due the same day and still unanswered."""
    triage = triaged(desk, "academy", ("refer_csc",), since=ago(60))
    if triage is None or not desk.has(("tom", "police")):
        return
    child = triage.person
    desk.used.add(child.pk)
    name = child.given_name
    reason = f"{name} was reported missing from home at 22:40 last night and has not been found. We are trying to " \
             f"trace {name} today."
    if asked(desk.orgs["police"], desk.orgs["academy"], reason):
        return
    # The police hold their own record of the child, but the request leaves it out: the demo's tests may remove
    # the police's people and load them again.
    ask(desk.who("tom", "police"), desk.orgs["academy"], child, reason, when=at(ago(3), 9, 30),
        urgency=Urgency.URGENT,
        wanted=f"Whether {name} was in school yesterday and with whom; names, phone numbers or addresses of friends "
               "or older young people the school knows of; any recent concerns about exploitation.")


def social_care_asks_hillside(desk: Desk) -> None:
    """Declined with reasons; then new information from the requester, waiting to be reconsidered."""
    csc, hillside = desk.orgs["csc"], desk.orgs["hillside"]
    if not desk.has(("dan", "csc"), ("carol", "hillside")):
        return
    held = Person.objects.filter(organisation=csc, school=hillside).order_by("family_name", "given_name", "pk")
    pairs = ((p, record_of(desk, "hillside", p)) for p in held)
    child, own = next(((p, r) for p, r in pairs if r and r.pk not in desk.used and written(r)), (None, None))
    if child is None:
        return
    desk.used.add(own.pk)
    name = child.given_name
    reason = f"A neighbour has reported shouting and a child crying at {name}'s home. We are deciding whether to " \
             "start an assessment."
    if asked(csc, hillside, reason):
        return
    dan, carol = desk.who("dan", "csc"), desk.who("carol", "hillside")
    request = ask(dan, hillside, child, reason, when=at(ago(12), 10, 0), own=child,
                  wanted=f"Any concerns the school has recorded about {name}, attendance, and how {name} presents.")
    draft = actions.do_start_answer(acting=carol, request=request, person=own)
    kept = written(own)
    send(carol, own, [], decision(
        outcome=Outcome.WITHHOLD, recipient=csc, lawful_basis="", consent=ConsentStatus.NOT_SOUGHT_OTHER,
        purpose=f"Westbridge Children's Social Care asked for the school's concerns about {name} (request of "
                f"{day_of(request.asked_at)})",
        consent_detail="Nothing was shared, so consent was not needed.",
        not_told_reason="Nothing was shared, and telling the family about an enquiry social care has not yet "
                        "discussed with them could prejudice it.",
        rationale=f"The school holds {count(len(kept), 'concern')} about {name}, the last on "
                  f"{day_of(kept[-1].recorded_at)}, all resolved with the family. They do not bear on a report of "
                  "shouting at home, and the request does not say what the risk to the child is. Sharing the file on "
                  "what we know now would not be necessary or proportionate (golden rule 6). If you can tell me "
                  "more, I will reconsider at once.",
    ), at(ago(11), 14, 0), draft=draft)
    actions.do_add_information(
        acting=dan, request=request, now=at(ago(5), 15, 0),
        text="Police checks on 26 October: the mother's new partner, who moved in this month, has a conviction for "
             "assaulting a child in 2019. Neighbours reported shouting again on 24 October. We have started a child "
             f"and family assessment and need the school's view of {name} now.")


def police_ask_riverside(desk: Desk) -> None:
    """Answered with a share, which the police opened and acknowledged."""
    notified = (Entry.objects.filter(organisation=desk.orgs["riverside"], source__icontains="Operation Encompass",
                                     superseded_by__isnull=True, recorded_at__lt=REFERENCE_MOMENT)
                .exclude(person__in=desk.used).exclude(person__given_name=KNOWN_RIVERSIDE_CHILD[0])
                .select_related("person").order_by("-recorded_at", "-pk").first())
    if notified is None or not desk.has(("tom", "police")):
        return
    child, riverside, police = notified.person, desk.orgs["riverside"], desk.orgs["police"]
    desk.used.add(child.pk)
    name = child.given_name
    reason = f"We are investigating a domestic incident at {name}'s home on 17 October and need to understand the " \
             f"risk to {name}."
    if asked(police, riverside, reason):
        return
    alice, tom = desk.who("alice", "riverside"), desk.who("tom", "police")
    request = ask(tom, riverside, child, reason, when=at(ago(13), 10, 0),
                  wanted=f"What the school has seen of {name}'s welfare since January, and anything {name} has said "
                         "about home.")
    entries = written(child, categories=("domestic-abuse",))[-4:]
    draft = actions.do_start_answer(acting=alice, request=request, person=child)
    actions.do_update_draft(acting=alice, draft=draft, entry_ids=[e.pk for e in entries])
    sent = send(alice, child, entries, decision(
        purpose=f"So that Westbridge Police can assess the risk to {name} in their investigation of the incident at "
                "home", recipient=police, agreement=desk.agreements.get(MAIN), consent=ConsentStatus.NOT_SOUGHT_OTHER,
        consent_detail=f"Asking {carer(child)} could prejudice the police investigation.",
        not_told_reason=f"Telling {name} or {carer(child)} could prejudice the investigation and put {name} at risk.",
        rationale=f"The police need to know what the school has seen to assess the risk to {name} at home. Only what "
                  f"is about domestic abuse is shared ({count(len(entries), 'entry', 'entries')}); the rest of the "
                  "file is not relevant.",
    ), at(ago(11), 13, 30), draft=draft)
    actions.do_open(acting=tom, disclosure=sent.disclosure, now=at(ago(11), 15, 5))
    actions.do_acknowledge(acting=tom, disclosure=sent.disclosure, now=at(ago(10), 9, 30),
                           action_taken="Added to the investigation file. The officer in the case will contact the "
                                        "school if a statement is needed.")


# Advice still waiting (golden rule 4) ---------------------------------------------------------


def frank_asks_erin(desk: Desk) -> None:
    """A deputy's draft, with a question for the data protection officer that she has not yet answered."""
    if not desk.has(("frank", "riverside"), ("erin", "riverside")):
        return
    told = (Entry.objects.filter(organisation=desk.orgs["riverside"], kind=EntryKind.DISCLOSURE,
                                 superseded_by__isnull=True, categories__contains=["young-carer"])
            .exclude(person__in=desk.used).exclude(person__given_name=KNOWN_RIVERSIDE_CHILD[0])
            .select_related("person").order_by("-recorded_at", "-pk").first())
    if told is None:
        return
    child, frank, erin = told.person, desk.who("frank", "riverside"), desk.who("erin", "riverside")
    desk.used.add(child.pk)
    if AdviceRequest.objects.filter(person=child, asked_by=frank.user, adviser=erin.user).exists():
        return
    name, parent = child.given_name, carer(child)
    data = decision(purpose=f"So that the school nursing team can support {name} as a young carer",
                    recipient=desk.orgs["trust"], consent=ConsentStatus.REFUSED_OVERRIDDEN,
                    objections=f"{parent} asked us not to tell the school nurse.", rationale="")
    draft = actions.do_start_draft(acting=frank, person=child, entry_ids=[told.pk])
    actions.do_update_draft(acting=frank, draft=draft, decision=data.as_draft())
    actions.do_ask_advice(
        acting=frank, draft=draft, adviser=erin.membership, now=at(ago(2), 14, 20),
        due_at=at(REFERENCE_DATE + datetime.timedelta(days=1), 12, 0),
        briefing=briefing(frank, draft, data, desk.orgs["trust"].name),
        question=f"{parent} has asked us not to tell the school nurse about {name}'s caring at home. As far as we "
                 f"know {name} is not at risk of significant harm. Can we share with the school nursing team without "
                 f"{parent}'s agreement, or should we keep working on {parent} first?",
    )


# Don't assume -----------------------------------------------------------------------------------


REASONS = {
    "refer_csc": "Referred to children's social care by telephone through the MASH on {day}; the written referral "
                 "form went to the MASH by secure e-mail. Both are recorded in the chronology.",
    "refer_police": "Reported to Westbridge Police on 101 on {day}, and children's social care were told by telephone "
                    "the same day.",
    "share": "Shared by telephone on {day}, as the triage decision records, with the agreement of the family.",
}


def answer_old_prompts(desk: Desk) -> None:
    """Record why the demo's leads did not share through Jigsaw, except where a decision is still to make."""
    for key in TEAMS:
        lead = next((desk.actors[(name, key)] for name in TEAMS[key].leads if (name, key) in desk.actors), None)
        if lead is None:
            continue
        decisions, alerts = old_prompts(desk.orgs[key])
        for entry in decisions:
            if entry.pk == desk.left_for_alice:
                continue
            reason = REASONS[entry.triage_outcome].format(day=day_of(entry.recorded_at))
            actions.do_respond_to_prompt(acting=lead, source=entry, reason=reason,
                                         now=entry.recorded_at + 30 * MINUTE)
        for alert in alerts:
            answer = alert_answer(alert)
            if answer is not None:  # alerts on concerns nobody has decided yet are left for the lead
                actions.do_respond_to_prompt(acting=lead, source=alert, reason=answer[0], now=answer[1])


def old_prompts(org: Organisation) -> tuple[list[Entry], list[Alert]]:
    """Prompts from before the reference date still waiting for an answer."""
    shared_since = Disclosure.objects.filter(sender=org, person=OuterRef("person"),
                                             sent_at__gte=OuterRef("recorded_at"))
    decisions = (
        Entry.objects.filter(organisation=org, kind=EntryKind.TRIAGE, triage_outcome__in=access.PROMPTING_OUTCOMES,
                             superseded_by__isnull=True, recorded_at__lt=REFERENCE_MOMENT)
        .exclude(Exists(shared_since)).exclude(Exists(PromptResponse.objects.filter(entry=OuterRef("pk"))))
        .select_related("person").order_by("-recorded_at", "-pk")
    )
    alerts = (
        Alert.objects.filter(organisation=org, rule__in=access.PROMPTING_ALERT_RULES, status=AlertStatus.OPEN)
        .exclude(entries__recorded_at__gte=REFERENCE_MOMENT)
        .exclude(Exists(PromptResponse.objects.filter(alert=OuterRef("pk"))))
        .select_related("person", "organisation").order_by("pk")
    )
    return list(decisions), list(alerts)


def alert_answer(alert: Alert) -> tuple[str, datetime.datetime] | None:
    """Why the lead did not refer when the alert fired, and when they said so; None while undecided."""
    entries = list(alert.entries.all())
    threads = [e.thread for e in entries]
    if Concern.objects.filter(thread__in=threads).exclude(status=ConcernStatus.TRIAGED).exists():
        return None
    seen = max(e.recorded_at for e in entries) + 2 * 60 * MINUTE
    org, person = alert.organisation, alert.person
    shared = (Disclosure.objects.filter(sender=org, person=person, sent_at__lt=REFERENCE_MOMENT)
              .select_related("decision__recipient", "recipient").order_by("-sent_at").first())
    if shared is not None and org.kind != OrganisationKind.CHILDRENS_SOCIAL_CARE:
        return (f"Shared with {shared.recipient_label} on {day_of(shared.sent_at)}; see the disclosure.",
                max(seen, shared.sent_at + 10 * MINUTE))
    triage = (Entry.objects.filter(person=person, kind=EntryKind.TRIAGE, superseded_by__isnull=True,
                                   recorded_at__lt=REFERENCE_MOMENT).order_by("-recorded_at").first())
    if triage is not None and triage.triage_outcome in REASONS:
        return (REASONS[triage.triage_outcome].format(day=day_of(triage.recorded_at)),
                max(seen, triage.recorded_at + 30 * MINUTE))
    if org.kind == OrganisationKind.CHILDRENS_SOCIAL_CARE:
        return (f"Children's social care holds this case: the referral received on {day_of(entries[0].recorded_at)} "
                "is being acted on by the team, so no onward referral is needed.", seen)
    return ("Reviewed the chronology with a colleague: the concern was decided in triage and the decision is recorded "
            "there. Nothing we know now meets the threshold for a referral; we will refer at once if it changes.", seen)


SCENES = (
    maya_to_social_care, social_care_to_riverside, evie_to_police, hillside_to_early_help,
    brookfield_to_social_care, oakfield_to_swimming_club, riverside_update_to_early_help, riverside_withholds,
    police_ask_riverside, social_care_asks_riverside, police_ask_the_academy, social_care_asks_hillside,
    frank_asks_erin,
)
