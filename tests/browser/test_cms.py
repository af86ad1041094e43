"""The site owner's editor changes the home page in the Wagtail admin and sees it live."""

import pytest

from home.seed import ensure_editors_group
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_changes_the_home_page_hero_publishes_and_sees_it_live(page, site_home):
    editor = UserFactory(email="editor@mintkit.test")
    editor.groups.add(ensure_editors_group())
    new_heading = "Gift cards for your salon, live tonight"

    page.goto("/admin/")  # staff log in through allauth's form too, and come back
    page.wait_for_url("**/accounts/login/?next=%2Fadmin%2F")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/pages/{site_home.pk}/edit/")
    heading = page.locator('input[name="body-0-value-heading"]')
    heading.fill(new_heading)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("has been published").wait_for()

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == new_heading
