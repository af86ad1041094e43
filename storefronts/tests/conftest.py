import pytest

from tests.factories import ProfileFactory


@pytest.fixture
def owner_client(client):
    """The test client signed in as a new business owner (``client.profile``)."""
    profile = ProfileFactory()
    client.force_login(profile.user)
    client.profile = profile
    return client
