import pytest

from tests.cast import make_cast, sign_in


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # Argon2 still, with cheap parameters, so that the cast is quick to create.
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    # Uploaded attachments go to a temporary directory, never the demo's var/private.
    settings.PRIVATE_FILES_ROOT = str(tmp_path / "private")


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def signed_in(client):
    def as_user(user):
        sign_in(client, user)
        return client

    return as_user
