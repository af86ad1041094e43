"""The signature scheme, checked with the Studio-side sample from the docs."""

import re
import time

import pytest

from studio_sync.signing import signature_header

from .verify_sample import StudioWebhookError, verify_studio_webhook

SECRET = "shared-secret"
BODY = b'{"id":"evt_1","external_id":"mk_abc","type":"entitlement.updated"}'


def test_header_is_stripe_style_t_and_v1():
    header = signature_header(body=BODY, secret=SECRET, timestamp=1_700_000_000)
    assert re.fullmatch(r"t=1700000000,v1=[0-9a-f]{64}", header)


def test_the_docs_sample_accepts_a_fresh_signature():
    now = int(time.time())
    header = signature_header(body=BODY, secret=SECRET, timestamp=now)
    event = verify_studio_webhook(payload=BODY, header=header, secret=SECRET)
    assert event["id"] == "evt_1" and event["external_id"] == "mk_abc"


@pytest.mark.parametrize(
    "payload,secret,age",
    [
        (BODY.replace(b"mk_abc", b"mk_xyz"), SECRET, 0),  # body changed after signing
        (BODY, "another-secret", 0),  # signed with another key
        (BODY, SECRET, 301),  # older than the 5-minute tolerance: a replay
        (BODY, SECRET, -301),  # from the future
    ],
)
def test_the_sample_refuses_tampering_other_keys_and_replays(payload, secret, age):
    now = int(time.time())
    header = signature_header(body=BODY, secret=secret, timestamp=now - age)
    with pytest.raises(StudioWebhookError):
        verify_studio_webhook(payload=payload, header=header, secret=SECRET, now=now)


def test_within_the_tolerance_is_accepted():
    now = int(time.time())
    header = signature_header(body=BODY, secret=SECRET, timestamp=now - 299)
    assert verify_studio_webhook(payload=BODY, header=header, secret=SECRET, now=now)


@pytest.mark.parametrize(
    "header", ["", "t=abc,v1=00", "v1=" + "0" * 64, "t=1700000000", "garbage", "t=,v1="]
)
def test_the_sample_refuses_malformed_headers(header):
    with pytest.raises(StudioWebhookError):
        verify_studio_webhook(payload=BODY, header=header, secret=SECRET)


@pytest.mark.parametrize(
    "url,ids",
    [
        (None, []),
        ("https://studio.example/hooks/hub", []),
        ("http://studio.example/hooks/hub", ["studio_sync.W001"]),
        ("ftp://studio.example/", ["studio_sync.E001"]),
        ("studio.example/hooks", ["studio_sync.E001"]),
    ],
)
def test_the_url_is_checked_at_start_up(settings, url, ids):
    from studio_sync.checks import studio_webhook_https_check, studio_webhook_url_check

    settings.MINTKIT_STUDIO_WEBHOOK_URL = url
    found = [m.id for m in (*studio_webhook_url_check(), *studio_webhook_https_check())]
    assert found == ids
