"""DOMAIN.md's concern categories (school and partnership use) as data.

The 0002 chronology migration loads these into the Category table; a partnership adds
its own there. Flags mark the categories the pattern rules look for.
"""

from typing import NamedTuple


class CategoryDefinition(NamedTuple):
    code: str
    name: str
    serious: bool = False
    neglect_indicator: bool = False
    absence_indicator: bool = False


NATIONAL = (
    CategoryDefinition("physical-abuse", "Physical abuse", serious=True),
    CategoryDefinition("emotional-abuse", "Emotional abuse"),
    CategoryDefinition("sexual-abuse", "Sexual abuse", serious=True),
    CategoryDefinition("neglect", "Neglect", neglect_indicator=True),
    CategoryDefinition("domestic-abuse", "Domestic abuse"),
    CategoryDefinition("parental-substance-misuse", "Parental substance misuse"),
    CategoryDefinition("parental-mental-health", "Parental mental health"),
    CategoryDefinition("child-on-child-abuse", "Child-on-child abuse (including sexual harassment)"),
    CategoryDefinition("online-safety", "Online safety"),
    CategoryDefinition("child-sexual-exploitation", "Child sexual exploitation", serious=True),
    CategoryDefinition("child-criminal-exploitation", "Child criminal exploitation (including county lines)",
                       serious=True),
    CategoryDefinition("radicalisation", "Radicalisation (Prevent)", serious=True),
    CategoryDefinition("female-genital-mutilation", "Female genital mutilation", serious=True),
    CategoryDefinition("honour-based-abuse", "Honour-based abuse", serious=True),
    CategoryDefinition("forced-marriage", "Forced marriage", serious=True),
    CategoryDefinition("self-harm", "Self-harm and suicidal thoughts", serious=True),
    CategoryDefinition("missing", "Missing from education or home", absence_indicator=True),
    CategoryDefinition("attendance", "Attendance", absence_indicator=True),
    CategoryDefinition("private-fostering", "Private fostering"),
    CategoryDefinition("young-carer", "Young carer"),
    CategoryDefinition("other", "Other"),
)
