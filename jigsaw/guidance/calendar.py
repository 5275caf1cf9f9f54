"""Working days in England: Monday to Friday, excluding England and Wales bank holidays (DOMAIN.md)."""

import datetime
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (start itself need not be a working day)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_deadline(start: datetime.datetime, days: int) -> datetime.datetime:
    """The same time of day, `days` working days later: when something raised at `start` is due."""
    later = add_working_days(start.date(), days)
    return start.replace(year=later.year, month=later.month, day=later.day)
