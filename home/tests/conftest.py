import pytest

from home import seed


class _Quiet:
    def write(self, *args, **kwargs):
        pass


@pytest.fixture
def seeded_site(db):
    """The whole demo site: home, pricing, help centre with articles, settings, Editors."""
    seed.run(stdout=_Quiet())
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    user = UserFactory(email="editor@example.com")
    user.groups.add(seed.ensure_editors_group())
    return user


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)
