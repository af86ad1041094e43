"""Studio events in the Wagtail admin: the list with its filters, every attempt on the
inspect page, and "Resend" for superusers only."""

import json

from django.contrib.auth.models import Permission
from django.test import Client

import pytest

from studio_sync.models import StudioEvent
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/admin/studio_sync/studioevent"


@pytest.fixture
def failed_event(studio, committed):
    studio.script = ["503"]
    with committed():
        ProfileFactory(business_name="Hair by Hana")
    return StudioEvent.objects.get()


def test_the_list_shows_status_and_filters_by_it(admin_client, failed_event):
    html = admin_client.get(f"{BASE}/").content.decode()
    assert failed_event.event_id in html and "Hair by Hana" in html
    assert "failed (will be retried)" in html and "503" in html
    assert "Trial started" in html  # the reason filter
    delivered = admin_client.get(f"{BASE}/?status__exact=delivered").content.decode()
    assert failed_event.event_id not in delivered
    retrying = admin_client.get(f"{BASE}/?status__exact=retrying").content.decode()
    assert failed_event.event_id in retrying


def test_inspect_shows_each_attempt_and_the_body(admin_client, failed_event):
    html = admin_client.get(f"{BASE}/inspect/{failed_event.pk}/").content.decode()
    assert "HTTP 503" in html and failed_event.external_id in html
    assert "&quot;reason&quot;: &quot;trial_started&quot;" in html


def test_a_superuser_resends_under_the_same_id(admin_client, failed_event, studio, committed):
    confirm = admin_client.get(f"{BASE}/resend/{failed_event.pk}/")
    assert confirm.status_code == 200 and failed_event.event_id in confirm.content.decode()
    with committed():
        done = admin_client.post(f"{BASE}/resend/{failed_event.pk}/", follow=True)
    assert "queued for delivery again" in done.content.decode()
    failed_event.refresh_from_db()
    assert failed_event.status == "delivered" and StudioEvent.objects.count() == 1
    assert [json.loads(body)["id"] for _, body in studio.requests] == [failed_event.event_id] * 2


def test_staff_who_are_not_superusers_cannot_resend(failed_event, studio):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    assert client.post(f"{BASE}/resend/{failed_event.pk}/").status_code in (302, 403)
    failed_event.refresh_from_db()
    assert failed_event.status == "retrying" and len(studio.requests) == 1
