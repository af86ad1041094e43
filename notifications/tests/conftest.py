import pytest

from billing.tests.conftest import owner_client, pay, plans, profile  # noqa: F401 - shared


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit work (signals, queueing) the test's own
    transaction would otherwise hold back, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
