from allauth.mfa.models import Authenticator

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_mfa_enrolled(user) -> bool:
    cached = getattr(user, "_jigsaw_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
        user._jigsaw_has_mfa = cached
    return cached
