"""Reading settings from the environment: every value is checked at start-up.

A malformed value stops the process with a message naming the variable,
rather than being guessed at.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def string(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def boolean(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def integer(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def words(name: str, default: str = "") -> list[str]:
    return [word.strip() for word in string(name, default).split(",") if word.strip()]


def secret(name: str, minimum_length: int = 32) -> str:
    """A secret from NAME or from the file named by NAME_FILE (never both)."""
    direct = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if direct and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both")
    if path:
        try:
            direct = Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from None
    if not direct:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set")
    if len(direct) < minimum_length:
        raise ImproperlyConfigured(f"{name} must be at least {minimum_length} characters")
    return direct
