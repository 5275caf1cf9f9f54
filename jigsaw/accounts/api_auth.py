"""API keys: `Authorization: Bearer jgs_<prefix>_<secret>`."""

import hmac

from django.utils import timezone
from ninja.security import HttpBearer

from jigsaw.accounts.actor import Actor
from jigsaw.accounts.middleware import client_ip
from jigsaw.accounts.models import API_KEY_PREFIX, ApiKey
from jigsaw.audit.events import record_denial


def key_for_token(token: str) -> ApiKey | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or len(token) > 200:
        return None
    key = ApiKey.objects.select_related("organisation").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.secret_hash, ApiKey.hash_secret(parts[2])):
        return None
    return key if key.is_usable() else None


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        key = key_for_token(token)
        if key is None:
            record_denial(Actor.anonymous(client_ip(request)), "api", request.path[:64], "api key")
            return None
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        request.actor = Actor.for_api_key(key, client_ip(request))
        return key
