"""Fuzzing the owner forms through the real views: whatever is posted (odd Unicode, NUL
bytes, 100 KB strings, lists where one value is expected, files where text is expected,
numbers out of range), the storefront editor, the slug check and the business-profile form
answer with the page or a form error, never a 500.

Hypothesis keeps most fields valid and replaces a few with hostile values, so the fuzzing
reaches the cross-field and cross-row rules instead of stopping at the first field.
Examples are bounded to keep the whole module under ~20 seconds.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from storefronts.tests.editor_data import editor_data
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible in CI
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Any code point except lone surrogates (which cannot be sent as UTF-8 at all).
any_unicode = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
odd_characters = st.text(
    st.sampled_from(
        ["\x00", "\u202e", "\ufeff", "\u200b", "\u0301", "𝕄", "ü", "漢", "🙂", "\r", "\n", "\t"]
        + list("<>\"'&%;#/\\:@.-_ ")
        + ["\ud7ff", "\U0010ffff", "\x7f", "\x1b"]
    ),
    max_size=30,
)
tricky = st.sampled_from(
    [
        "",
        " ",
        "-1",
        "0",
        "1e309",
        "NaN",
        "99999999999999999999999999",
        "on",
        "true",
        "null",
        "[]",
        "{}",
        "25:99",
        "2026-02-30",
        "0000-00-00",
        "#zzzzzz",
        "../../etc/passwd",
        "javascript:alert(1)",
        "https://example.com/\x00",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
    ]
)
# 100 KB and more, built on demand (a literal would bloat every failure report).
huge = st.sampled_from(["A", "\x00", "ü", "🙂 ", "<a>"]).map(
    lambda chunk: chunk * (100_000 // len(chunk))
)
hostile_text = st.one_of(any_unicode, odd_characters, tricky, huge, st.integers().map(str))


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (10, 120, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
hostile_file = st.builds(
    lambda name, content: SimpleUploadedFile(name or "x", content),
    st.sampled_from(["logo.png", "", "a" * 300 + ".png", "..\\..\\x.png", "x\x00.png"]),
    st.sampled_from([b"", b"\x00" * 100, b"not an image", PNG, PNG[:40]]),
)
hostile_value = st.one_of(
    hostile_text,
    st.lists(hostile_text, min_size=2, max_size=3),  # a list where one value is expected
    hostile_file,  # a file where text is expected
)


def _post(client: Client, url: str, data: dict):
    data = {key: value for key, value in data.items() if value is not None}
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return client.post(url, data)


# --- the storefront editor -----------------------------------------------------------------

EDITOR_KEYS = sorted(
    set(editor_data())
    | {
        "logo_upload",
        "logo_remove",
        "cover_upload",
        "cover_remove",
        "offers-0-id",
        "offers-0-is_primary",
        "offers-0-DELETE",
        "offers-1-title",
        "offers-1-url",
        "hours-0-id",
        "hours-0-DELETE",
        "special-0-date",
        "special-0-opens",
        "special-0-closes",
        "special-0-note",
        "offers-MIN_NUM_FORMS",
        "offers-MAX_NUM_FORMS",
    }
)


@pytest.fixture
def editor_client():
    profile = ProfileFactory()
    storefront = StorefrontFactory(profile=profile, slug="mint-co")
    offer = OfferFactory(storefront=storefront)
    client = Client(raise_request_exception=False)
    client.force_login(profile.user)
    base = editor_data(
        **{
            "offers-INITIAL_FORMS": "1",
            "offers-0-id": str(offer.pk),
        }
    )
    return client, base


@settings(FUZZ, max_examples=20)  # the editor is the slowest page to post
@given(changes=st.dictionaries(st.sampled_from(EDITOR_KEYS), hostile_value, max_size=6))
def test_the_storefront_editor_never_answers_500(editor_client, changes):
    client, base = editor_client
    response = _post(client, "/dashboard/storefront/", {**base, **changes})
    assert response.status_code in (302, 400), (changes, response.status_code)


@FUZZ
@given(slug=hostile_text)
def test_the_slug_check_never_answers_500(editor_client, slug):
    client, _base = editor_client
    response = client.get("/dashboard/storefront/slug-check/", {"slug": slug})
    assert response.status_code == 200
    assert response.json()["status"] in ("available", "taken", "invalid")


# --- the business profile ------------------------------------------------------------------

PROFILE_KEYS = ["business_name", "contact_email", "phone", "logo_upload", "remove_logo"]


@pytest.fixture
def profile_client():
    profile = ProfileFactory(business_name="Mint")
    client = Client(raise_request_exception=False)
    client.force_login(profile.user)
    return client


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(PROFILE_KEYS), hostile_value, max_size=4))
def test_the_profile_form_never_answers_500(profile_client, changes):
    base = {"business_name": "Mint", "contact_email": "", "phone": ""}
    response = _post(profile_client, "/dashboard/profile/", {**base, **changes})
    assert response.status_code in (200, 302, 400), (changes, response.status_code)
