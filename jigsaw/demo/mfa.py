"""Second factors for the demo accounts, derived from the e-mail address.

Each account's TOTP secret is the base32 form of HMAC-SHA1(b"jigsaw-demo", e-mail), so
`current_code(email)` can say what an authenticator app would show. This is only safe
because the demo's accounts and password are public anyway.
"""

import base64
import hashlib
import hmac
import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt

from jigsaw.accounts.models import User
from jigsaw.demo import SET_UP_AT
from jigsaw.demo.cast import is_demo_email

TOTP_KEY = b"jigsaw-demo"
RECOVERY_KEY = b"jigsaw-demo-recovery-codes"


class NotADemoAccount(ValueError):
    pass


def totp_secret(email: str) -> str:
    digest = hmac.new(TOTP_KEY, _normal(email).encode(), hashlib.sha1).digest()
    return base64.b32encode(digest).decode("ascii")[:32]


def current_code(email: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows now (or at the Unix time `at`)."""
    if not is_demo_email(email):
        raise NotADemoAccount(f"{email} is not a demo account")
    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(totp_secret(email), counter))


def recovery_codes(email: str) -> list[str]:
    """The demo account's recovery codes, used or not."""
    return RecoveryCodes(Authenticator(data=_recovery_data(email))).generate_codes()


def stored_totp_secret(user: User) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def ensure_authenticators(users: list[User]) -> int:
    """Give each user a TOTP authenticator and recovery codes unless they already have them."""
    have = set(
        Authenticator.objects.filter(
            user__in=users,
            type__in=(Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES),
        ).values_list("user_id", "type")
    )
    missing = []
    for user in users:
        if (user.pk, Authenticator.Type.TOTP) not in have:
            missing.append(_authenticator(user, Authenticator.Type.TOTP, _totp_data(user.email)))
        if (user.pk, Authenticator.Type.RECOVERY_CODES) not in have:
            data = _recovery_data(user.email)
            missing.append(_authenticator(user, Authenticator.Type.RECOVERY_CODES, data))
    Authenticator.objects.bulk_create(missing)
    return len(missing)


def _authenticator(user: User, kind: str, data: dict) -> Authenticator:
    return Authenticator(user=user, type=kind, data=data, created_at=SET_UP_AT)


def _totp_data(email: str) -> dict:
    return {"secret": encrypt(totp_secret(email))}


def _recovery_data(email: str) -> dict:
    seed = hmac.new(RECOVERY_KEY, _normal(email).encode(), hashlib.sha256).hexdigest()
    return {"seed": encrypt(seed), "used_mask": 0}


def _normal(email: str) -> str:
    return (email or "").strip().lower()
