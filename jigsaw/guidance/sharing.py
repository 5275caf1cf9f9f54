"""The seven golden rules, lawful bases and sharing timescales, as data (DOMAIN.md).

Sources: DfE, Information sharing advice for practitioners (May 2024), the seven golden
rules; UK GDPR Articles 6, 9 and 10; Data Protection Act 2018 Schedule 1; Children's
Wellbeing and Schools Act 2026 s4 (Children Act 2004 s16LA, the duty to share); Working
Together 2023 and KCSIE for the timescales. Pure data and functions: no models.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from jigsaw.guidance import calendar


class Outcome(models.TextChoices):
    SHARE = "share", "Share"
    WITHHOLD = "withhold", "Do not share"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1)."""

    CONSENT = "consent", "6(1)(a) Consent"
    CONTRACT = "contract", "6(1)(b) Contract"
    LEGAL_OBLIGATION = "legal_obligation", "6(1)(c) Legal obligation"
    VITAL_INTERESTS = "vital_interests", "6(1)(d) Vital interests"
    PUBLIC_TASK = "public_task", "6(1)(e) Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "6(1)(f) Legitimate interests"


class SpecialCondition(models.TextChoices):
    """UK GDPR Article 9(2), for special category data (health, sex life, ethnicity, religion…)."""

    SAFEGUARDING = "safeguarding", (
        "9(2)(g) with DPA 2018 Sch 1 Pt 2 para 18: safeguarding of children and individuals at risk"
    )
    VITAL_INTERESTS = "vital_interests", "9(2)(c) Vital interests"
    HEALTH_SOCIAL_CARE = "health_social_care", "9(2)(h) Health or social care"
    EXPLICIT_CONSENT = "explicit_consent", "9(2)(a) Explicit consent"


DEFAULT_SPECIAL_CONDITION = SpecialCondition.SAFEGUARDING


class ConsentStatus(models.TextChoices):
    """Golden rule 3: consent is not needed where a child is at risk, but its status is recorded."""

    NOT_SOUGHT_RISK = "not_sought_risk", "Not sought: asking would increase the risk of harm"
    NOT_SOUGHT_OTHER = "not_sought_other", "Not sought, for another reason"
    GIVEN = "given", "Given"
    REFUSED_OVERRIDDEN = "refused_overridden", "Refused, and overridden to protect the child"
    WITHDRAWN = "withdrawn", "Given, then withdrawn"


# Statuses where the child's or carers' view went against sharing: the objections and how
# they were weighed must be written down (golden rule 3).
OBJECTION_STATUSES = frozenset({ConsentStatus.REFUSED_OVERRIDDEN, ConsentStatus.WITHDRAWN})
# Shared without consent: the governance review looks at these.
WITHOUT_CONSENT = frozenset(
    {ConsentStatus.NOT_SOUGHT_RISK, ConsentStatus.NOT_SOUGHT_OTHER, ConsentStatus.REFUSED_OVERRIDDEN,
     ConsentStatus.WITHDRAWN}
)


class DisclosureKind(models.TextChoices):
    SHARE = "share", "Information shared"
    RESPONSE = "response", "Response to a request for information"
    REFERRAL = "referral", "Referral"
    FILE_TRANSFER = "file_transfer", "Child-protection file transfer"
    MINUTES = "minutes", "Meeting minutes"
    SUBJECT_ACCESS = "subject_access", "Subject access response"


# How long the recipient has to acknowledge, in working days (DOMAIN.md timescales).
# Subject access responses are counted in calendar days and are not acknowledged by a partner.
ACKNOWLEDGE_WITHIN_WORKING_DAYS = {
    DisclosureKind.SHARE: 1,
    DisclosureKind.RESPONSE: 1,
    DisclosureKind.REFERRAL: 1,  # Working Together 2023: acknowledgement and decision in 1 working day
    DisclosureKind.FILE_TRANSFER: 5,  # KCSIE: receipt confirmed; chase at the due date
    DisclosureKind.MINUTES: 10,  # seed 000: minutes not received, chase (local)
    DisclosureKind.SUBJECT_ACCESS: 22,
}


class Urgency(models.TextChoices):
    URGENT = "urgent", "Urgent: the same working day"
    STANDARD = "standard", "Standard"


STANDARD_RESPONSE_WORKING_DAYS = 5  # local practice; each organisation may change it


def acknowledgement_due(kind: str, sent_at: datetime.datetime, overrides: dict | None = None) -> datetime.datetime:
    days = (overrides or {}).get(kind, ACKNOWLEDGE_WITHIN_WORKING_DAYS[kind])
    return calendar.working_deadline(timezone.localtime(sent_at), days)


def request_due(urgency: str, asked_at: datetime.datetime, standard_days: int = STANDARD_RESPONSE_WORKING_DAYS):
    """Urgent: by the end of the same working day (the next one if asked on a closed day), in UK time."""
    asked_at = timezone.localtime(asked_at)
    if urgency == Urgency.URGENT:
        day = asked_at.date()
        if not calendar.is_working_day(day):
            day = calendar.add_working_days(day, 1)
        return asked_at.replace(year=day.year, month=day.month, day=day.day, hour=23, minute=59, second=0,
                                microsecond=0)
    return calendar.working_deadline(asked_at, standard_days)


# Organisation kinds that are not public bodies: legitimate interests by default (ICO 2025).
NOT_PUBLIC_KINDS = frozenset({"nursery", "voluntary_sector"})


def default_lawful_basis(organisation) -> str:
    """Public task for state bodies and state schools; legitimate interests for independent settings."""
    if organisation.independent or organisation.kind in NOT_PUBLIC_KINDS:
        return LawfulBasis.LEGITIMATE_INTERESTS
    return LawfulBasis.PUBLIC_TASK


@dataclass(frozen=True)
class GoldenRule:
    number: int
    title: str
    guidance: str


GOLDEN_RULES = (
    GoldenRule(1, "Protection comes before privacy",
               "Protecting a child from abuse and neglect takes priority over protecting their privacy, or that of "
               "the people failing to protect them. Data protection law is a framework for sharing, not a barrier."),
    GoldenRule(2, "Engage the child and their carers where it is safe",
               "Where practicable and safe, explain to the child and their carers who you will share with, what and "
               "why. You need not tell them if doing so may put the child at greater risk, for example because a "
               "carer may harm the child or react violently, or the child may withdraw from services."),
    GoldenRule(3, "Consent is not needed where a child is at risk, but a lawful basis is",
               "You do not need consent to share when a child is at risk or there is a perceived risk of harm. "
               "Record the lawful basis. Consider any objection, and override it if sharing is needed to protect "
               "the child."),
    GoldenRule(4, "Seek advice promptly",
               "If you are unsure, ask your safeguarding lead, manager, data protection officer or Caldicott "
               "guardian. Never leave a child at risk while you wait: asking for advice does not stop an urgent "
               "share."),
    GoldenRule(5, "Protect the identities of people who could be harmed",
               "People marked as protected (an informant, a carer fleeing abuse, a neighbour) are removed from "
               "what you send automatically. You can remove more by hand, with a reason. The recipient is told that "
               "something was removed."),
    GoldenRule(6, "Share only what is relevant, accurate, necessary and proportionate",
               "Choose the entries the recipient needs for their role in safeguarding the child. Sending a whole "
               "record is rarely needed and must be justified."),
    GoldenRule(7, "Record your reasons, whether or not you share",
               "Set out why you did or did not share. If you decide not to share with someone who asked, be ready "
               "to explain, and reconsider if they give you new information."),
)

DUTY_TO_SHARE = (
    "Children Act 2004 s16LA (Children's Wellbeing and Schools Act 2026): you must share information relevant to "
    "a child's safeguarding with other designated persons, unless you consider that sharing would be more "
    "detrimental to the child than not sharing. If you decide not to share on that ground, say why."
)

DONT_ASSUME = (
    "Don't assume someone else will share. If this child may be in need, or has suffered or is likely to suffer "
    "significant harm, share with children's social care and/or the police now, or record why you are not."
)


def rule(number: int) -> GoldenRule:
    return GOLDEN_RULES[number - 1]
