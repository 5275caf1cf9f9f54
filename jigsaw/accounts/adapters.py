from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People are invited by a partnership administrator; nobody signs themselves up.
        return False


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self) -> dict:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "Jigsaw"
        return entity
