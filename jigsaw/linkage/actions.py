"""Every change to links and reviews. Each one is written to the ledger in the same transaction.

`resolve` is the rule of DESIGN §5 for one record: the same valid NHS number links at once unless
the details clearly differ; otherwise the active model scores the record's candidates, and a
match at or above the auto-link threshold links only when no guard holds it back (twins and
siblings, a second record at one organisation, a chain of weak links, two linked children
joining). Everything between the thresholds waits for a person in the review queue.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jigsaw.accounts.actor import Actor
from jigsaw.audit.events import record
from jigsaw.audit.models import Action
from jigsaw.linkage import scoring
from jigsaw.linkage.model_format import OUT_OF_DATE
from jigsaw.linkage.models import (
    Link,
    LinkageSettings,
    LinkMethod,
    MatchReview,
    ModelVersion,
    ReviewReason,
    ReviewStatus,
    Subject,
)
from jigsaw.people.models import Person

JIGSAW = Actor.for_system("linkage")
MAX_REASON = 2000
THRESHOLDS_OUT_OF_ORDER = (
    "The review threshold must be above 0 and below the auto-link threshold, which must be below 1"
)


class AlreadyDecided(Exception):
    """Someone else decided this review first."""


@dataclass
class Resolution:
    link: Link | None = None
    reviews: list[MatchReview] = field(default_factory=list)


# Links -------------------------------------------------------------------------------------


def _link(person: Person, subject: Subject, *, acting: Actor, method: str, reason: str = "", **details) -> Link:
    now = timezone.now()
    current = Link.objects.select_for_update().current().filter(person=person).first()
    if current is not None:
        if current.subject_id == subject.pk:
            return current
        current.ended_at, current.ended_by, current.end_reason = now, acting.user, reason or method
        current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    link = Link.objects.create(
        person=person,
        subject=subject,
        method=method,
        reason=reason,
        linked_at=now,
        linked_by=acting.user,
        linked_by_label=acting.label,
        **details,
    )
    record(
        acting,
        Action.CREATE,
        obj=link,
        person=person,
        detail={
            "subject": subject.pk,
            "method": method,
            "probability": link.match_probability,
            "ended": current.pk if current else None,
        },
    )
    return link


def _new_subject(person: Person, *, acting: Actor, method: str = LinkMethod.FIRST, reason: str = "") -> Link:
    return _link(person, Subject.objects.create(), acting=acting, method=method, reason=reason)


def subject_id_of(person: Person) -> int | None:
    return Link.objects.current().filter(person=person).values_list("subject_id", flat=True).first()


def members_of(subject_id: int | None, *, besides: Person | None = None) -> list[Person]:
    if subject_id is None:
        return []
    members = Person.objects.filter(links__subject_id=subject_id, links__ended_at__isnull=True).select_related(
        "organisation"
    )
    return list(members.exclude(pk=besides.pk) if besides else members)


# Reviews -----------------------------------------------------------------------------------


def _pair(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


def decided_different(a: Person, b: Person) -> bool:
    left, right = _pair(a, b)
    return MatchReview.objects.filter(left=left, right=right, status=ReviewStatus.REJECTED).exists()


def _open_review(a: Person, b: Person, reason: str, *, scored=None, version=None, acting=JIGSAW):
    left, right = _pair(a, b)
    if MatchReview.objects.filter(
        left=left, right=right, status__in=[ReviewStatus.OPEN, ReviewStatus.REJECTED]
    ).exists():
        return None
    review = MatchReview.objects.create(
        left=left,
        right=right,
        reason=reason,
        model_version=version,
        match_probability=scored.probability if scored else None,
        match_weight=scored.weight if scored else None,
        evidence=scored.evidence if scored else [],
    )
    record(acting, Action.CREATE, obj=review, person=a, detail={"reason": reason, "pair": [left.pk, right.pk]})
    return review


# Resolving one record ------------------------------------------------------------------------


def _clearly_different(person: Person, other: Person, scored, settings: LinkageSettings) -> bool:
    if scored is not None:
        return scored.probability < settings.review_threshold
    born_apart = person.date_of_birth and other.date_of_birth and person.date_of_birth != other.date_of_birth
    named_apart = person.given_name.casefold() != other.given_name.casefold()
    return bool(born_apart and named_apart)


def _by_nhs_number(person, settings, version, resolution: Resolution, acting: Actor) -> bool:
    """Link on the NHS number if the same number's records agree; True when it decided."""
    same = list(
        Person.objects.filter(nhs_number=person.nhs_number, organisation__kind__in=settings.organisation_kinds)
        .exclude(pk=person.pk)
        .select_related("organisation")
        .order_by("pk")
    )
    if not same:
        return False
    scores = {s.other.pk: s for s in scoring.score(version, person, same)} if version else {}
    agreeing, questioned = [], set()
    for other in same:
        if decided_different(person, other):
            continue
        if not _clearly_different(person, other, scores.get(other.pk), settings):
            agreeing.append(other)
        elif subject_id_of(other) not in questioned:  # one question per child, not per record
            questioned.add(subject_id_of(other))
            scored = scores.get(other.pk)
            review = _open_review(person, other, ReviewReason.NHS_CONFLICT, scored=scored, version=version)
            resolution.reviews += [review] if review else []
    if not agreeing:
        return False
    target = _subject_of_or_new(agreeing[0], JIGSAW)
    resolution.link = _link(
        person, Subject.objects.get(pk=target), acting=acting, method=LinkMethod.NHS_NUMBER, matched_with=agreeing[0]
    )
    return True


def _guard(person: Person, best, settings, version) -> str | None:
    """Why an auto-link to `best` must wait for a person, or None if it may go ahead."""
    if best.twin_like:
        return ReviewReason.TWIN_LIKE
    target = subject_id_of(best.other)
    members = members_of(target)
    if any(member.organisation_id == person.organisation_id for member in [best.other, *members]):
        return ReviewReason.SAME_ORGANISATION
    if len(members_of(subject_id_of(person), besides=person)) > 0:
        return ReviewReason.WOULD_JOIN
    others = scoring.score(version, person, [member for member in members if member.pk != best.other.pk])
    if any(s.twin_like for s in others):
        return ReviewReason.TWIN_OF_MEMBER  # a record both twins resemble ("Alex") must not bridge them
    if any(s.probability < settings.review_threshold for s in others):
        return ReviewReason.WOULD_JOIN  # a chain of links: someone already in that subject is clearly different
    return None


def _probabilistically(person, settings, version, keys, resolution: Resolution, acting: Actor) -> None:
    if version is None:
        return
    candidates = [
        c for c in scoring.candidates_for(person, keys, settings.organisation_kinds) if not decided_different(person, c)
    ]
    scored = [s for s in scoring.score(version, person, candidates) if s.probability >= settings.review_threshold]
    own_subject = subject_id_of(person)
    for best in scored:
        if best.probability < settings.auto_link_threshold:
            break
        if own_subject is not None and subject_id_of(best.other) == own_subject:
            continue
        if _guard(person, best, settings, version) is None:
            target = Subject.objects.get(pk=_subject_of_or_new(best.other, JIGSAW))
            resolution.link = _link(
                person, target, acting=acting, method=LinkMethod.PROBABILISTIC, match_probability=best.probability,
                model_version=version, matched_with=best.other,
            )
            own_subject = target.pk
        break
    for other in scored:
        theirs = subject_id_of(other.other)
        if theirs is None or theirs == own_subject:
            continue  # not yet resolved (a whole run): their own turn weighs this pair
        if own_subject is not None and _certainly_one_child(own_subject, theirs, settings, version):
            own_subject = _merge(own_subject, into=theirs, bridge=other, acting=acting, version=version)
            continue
        reason = _review_reason(person, other, settings, version)
        if review := _open_review(person, other.other, reason, scored=other, version=version):
            resolution.reviews.append(review)


def _certainly_one_child(first: int, second: int, settings, version) -> bool:
    """Two subjects are one child only if every record of one auto-links with every record of the other.

    A whole run can build one child's records into two subjects (say, the NHS-number records and the
    ones without); this is complete linkage across them, so no weak link or twin can join them."""
    mine, theirs = members_of(first), members_of(second)
    if {m.organisation_id for m in mine} & {m.organisation_id for m in theirs}:
        return False
    for member in mine:
        scored = scoring.score(version, member, theirs)
        if len(scored) < len(theirs):  # a pair never compared is no evidence
            return False
        if any(s.twin_like or s.probability < settings.auto_link_threshold for s in scored):
            return False
    return True


def _merge(subject_id: int, *, into: int, bridge, acting: Actor, version) -> int:
    target = Subject.objects.get(pk=into)
    for member in members_of(subject_id):
        _link(member, target, acting=acting, method=LinkMethod.PROBABILISTIC, match_probability=bridge.probability,
              model_version=version, matched_with=bridge.other, reason="Every record of both agreed")
    return into


def _review_reason(person, scored, settings, version) -> str:
    if scored.twin_like:
        return ReviewReason.TWIN_LIKE
    if scored.other.organisation_id == person.organisation_id:
        return ReviewReason.SAME_ORGANISATION
    if scored.probability >= settings.auto_link_threshold:
        return _guard(person, scored, settings, version) or ReviewReason.PROBABLE
    return ReviewReason.PROBABLE


def _still_matches_members(person, settings, version, resolution: Resolution) -> None:
    """After a change to a linked record: anyone in its subject it no longer resembles, or now resembles as
    a twin or sibling would, goes to review."""
    if version is None:
        return
    members = members_of(subject_id_of(person), besides=person)
    for scored in scoring.score(version, person, members):
        review = None
        if scored.twin_like or scored.probability < settings.review_threshold:
            review = _open_review(person, scored.other, ReviewReason.CHANGED, scored=scored, version=version)
        if review:
            resolution.reviews.append(review)


def resolve(person: Person, *, acting: Actor = JIGSAW, settings: LinkageSettings | None = None) -> Resolution:
    """Link one new or changed record (inside the caller's transaction)."""
    settings = settings or LinkageSettings.current()
    resolution = Resolution()
    if person.organisation.kind not in settings.organisation_kinds:
        return resolution
    version = scoring.active_version()
    keys = scoring.refresh_keys(person) if version else []
    with transaction.atomic():
        already_linked = members_of(subject_id_of(person), besides=person)
        if already_linked:
            _still_matches_members(person, settings, version, resolution)
        elif not (person.nhs_number and _by_nhs_number(person, settings, version, resolution, acting)):
            _probabilistically(person, settings, version, keys, resolution, acting)
        if resolution.link is None and subject_id_of(person) is None:
            resolution.link = _new_subject(person, acting=acting)
    return resolution


# A person's decisions -----------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter your reasons"})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"Reasons must be {MAX_REASON} characters or fewer"})
    return reason


def _decide(review: MatchReview, status: str, *, acting: Actor, reason: str, now=None) -> MatchReview:
    locked = MatchReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != ReviewStatus.OPEN:
        raise AlreadyDecided
    locked.status = status
    locked.decided_by, locked.decided_by_label = acting.user, acting.label
    locked.decided_at, locked.decision_reason = now or timezone.now(), reason
    locked.save(update_fields=["status", "decided_by", "decided_by_label", "decided_at", "decision_reason"])
    record(
        acting,
        Action.UPDATE,
        obj=locked,
        person=locked.left,
        detail={"status": status, "pair": [locked.left_id, locked.right_id]},
    )
    return locked


def _subject_of_or_new(person: Person, acting: Actor) -> int:
    return subject_id_of(person) or _new_subject(person, acting=acting).subject_id


def do_confirm_review(*, acting: Actor, review: MatchReview, reason: str, now=None) -> MatchReview:
    """The two records are the same child: bring everything linked to the right into the left's subject."""
    reason = _reason(reason)
    with transaction.atomic():
        review = _decide(review, ReviewStatus.CONFIRMED, acting=acting, reason=reason, now=now)
        target = Subject.objects.get(pk=_subject_of_or_new(review.left, acting))
        for member in members_of(_subject_of_or_new(review.right, acting)):
            if subject_id_of(member) != target.pk:
                _link(
                    member,
                    target,
                    acting=acting,
                    method=LinkMethod.MANUAL,
                    reason=reason,
                    review=review,
                    match_probability=review.match_probability,
                )
        _withdraw_settled(target.pk, acting)
    return review


def do_reject_review(*, acting: Actor, review: MatchReview, reason: str, now=None) -> MatchReview:
    """The two records are different children: if they were linked, the right one is separated."""
    reason = _reason(reason)
    with transaction.atomic():
        review = _decide(review, ReviewStatus.REJECTED, acting=acting, reason=reason, now=now)
        if subject_id_of(review.left) is not None and subject_id_of(review.left) == subject_id_of(review.right):
            _new_subject(review.right, acting=acting, method=LinkMethod.SPLIT, reason=reason)
    return review


def _withdraw_settled(subject_id: int, acting: Actor) -> None:
    """Open reviews between records now in one subject have been answered by this decision."""
    ids = [member.pk for member in members_of(subject_id)]
    _withdraw(MatchReview.objects.filter(left__in=ids, right__in=ids, status=ReviewStatus.OPEN), acting)


def _withdraw(reviews, acting: Actor) -> None:
    for review in reviews.select_related("left"):
        review.status = ReviewStatus.WITHDRAWN
        review.save(update_fields=["status"])
        record(acting, Action.UPDATE, obj=review, person=review.left, detail={"status": ReviewStatus.WITHDRAWN})


def do_split(*, acting: Actor, subject_id: int, people: list[Person], reason: str) -> Subject:
    """Separate some records from a subject into a new one of their own, remembering they differ."""
    reason = _reason(reason)
    with transaction.atomic():
        staying = [m for m in members_of(subject_id) if m.pk not in {p.pk for p in people}]
        moving = [p for p in people if subject_id_of(p) == subject_id]
        if not moving or not staying:
            raise ValidationError({"people": "Choose some, but not all, of the linked records"})
        subject = Subject.objects.create()
        for person in moving:
            _link(person, subject, acting=acting, method=LinkMethod.SPLIT, reason=reason)
        for person in moving:
            for other in staying:
                _record_different(person, other, acting=acting, reason=reason)
    return subject


def do_unlink(*, acting: Actor, person: Person, reason: str) -> Subject:
    subject_id = subject_id_of(person)
    if subject_id is None or not members_of(subject_id, besides=person):
        raise ValidationError({"reason": "This record is not linked to any other"})
    return do_split(acting=acting, subject_id=subject_id, people=[person], reason=reason)


def _record_different(a: Person, b: Person, *, acting: Actor, reason: str) -> None:
    left, right = _pair(a, b)
    _withdraw(MatchReview.objects.filter(left=left, right=right, status=ReviewStatus.OPEN), acting)
    review = MatchReview.objects.create(
        left=left,
        right=right,
        reason=ReviewReason.SEPARATED,
        status=ReviewStatus.REJECTED,
        decided_by=acting.user,
        decided_by_label=acting.label,
        decided_at=timezone.now(),
        decision_reason=reason,
    )
    record(
        acting,
        Action.CREATE,
        obj=review,
        person=a,
        detail={"status": ReviewStatus.REJECTED, "pair": [left.pk, right.pk]},
    )


def do_record_view(*, acting: Actor, obj, person=None, what: str, purpose: str = "") -> None:
    record(acting, Action.VIEW, obj=obj, person=person, purpose=purpose, detail={"what": what})


# Models and settings ----------------------------------------------------------------------------


def do_store_model(*, acting: Actor, trained, activate: bool = True) -> ModelVersion:
    with transaction.atomic():
        version, _ = ModelVersion.objects.get_or_create(
            version=trained.version,
            defaults={
                "model_json": trained.model_json,
                "tf_tables": trained.tf_tables,
                "metrics": trained.metrics,
                "trained_by": acting.label,
            },
        )
        record(acting, Action.CREATE, obj=version, detail={"linkage_model": version.version})
        if activate:
            do_activate_model(acting=acting, version=version)
    return version


def do_activate_model(*, acting: Actor, version: ModelVersion) -> ModelVersion:
    if not version.fits_current_records:
        raise ValidationError(OUT_OF_DATE.format(version=version.version))
    with transaction.atomic():
        ModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
        ModelVersion.objects.filter(pk=version.pk).update(is_active=True)
        record(acting, Action.ADMINISTER, obj=version, detail={"linkage_model": version.version, "active": True})
    version.is_active = True
    return version


def do_update_settings(
    *, acting: Actor, auto_link_threshold: float, review_threshold: float, organisation_kinds
) -> LinkageSettings:
    if not 0 < review_threshold < auto_link_threshold < 1:
        raise ValidationError({"review_threshold": THRESHOLDS_OUT_OF_ORDER})
    with transaction.atomic():
        settings = LinkageSettings.current()
        settings.auto_link_threshold, settings.review_threshold = auto_link_threshold, review_threshold
        settings.organisation_kinds = sorted(set(organisation_kinds))
        settings.updated_at = timezone.now()
        settings.save()
        record(
            acting,
            Action.ADMINISTER,
            obj=settings,
            detail={
                "auto_link_threshold": auto_link_threshold,
                "review_threshold": review_threshold,
                "organisation_kinds": settings.organisation_kinds,
            },
        )
    return settings
