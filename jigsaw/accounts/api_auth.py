"""API keys: `Authorization: Bearer jgs_<prefix>_<secret>`."""

from ninja.security import HttpBearer

from jigsaw.accounts import access
from jigsaw.accounts.actor import Actor
from jigsaw.accounts.middleware import client_ip
from jigsaw.audit.events import record_denial


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        key = access.key_for_token(token)
        if key is None:
            record_denial(Actor.anonymous(client_ip(request)), "api", request.path[:64], "api key")
            return None
        access.note_key_used(key)
        request.actor = Actor.for_api_key(key, client_ip(request))
        return key
