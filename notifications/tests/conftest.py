import pytest


@pytest.fixture
def mailable(world):
    """The world's users with email addresses (the factories give none)."""
    for user in vars(world).values():
        if hasattr(user, "username"):
            user.email = f"{user.username}@example.vn"
            user.save(update_fields=["email"])
    return world


@pytest.fixture(autouse=True)
def _retry_at_once(settings):
    settings.JOB_RETRY_DELAY_SECONDS = 0
