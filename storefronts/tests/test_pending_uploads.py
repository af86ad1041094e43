"""A logo or cover the owner chose survives a refused editor submit: it is checked and kept
at once, the re-shown form says so, and the next valid submit uses it. The token that
carries it is signed and tied to the owner and field; anything else in its place is
ignored, never a 500."""

import io
import re

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest
from PIL import Image

from storefronts.models import Storefront
from storefronts.pending_uploads import SALT, pending_upload_token
from storefronts.tests.editor_data import EDIT, editor_data
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def png(name="logo.png", colour="green"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pending_token(html, field):
    found = re.search(rf'<input[^>]*name="{field}_pending"[^>]*value="([^"]+)"', html)
    return found.group(1) if found else ""


def refused(**extra):
    # Closing before opening: the whole editor is refused.
    return editor_data(**{"hours-0-closes": "08:00"}, **extra)


def test_chosen_images_are_kept_across_a_refused_submit_and_used_on_the_next(owner_client):
    response = owner_client.post(
        EDIT, refused(logo_upload=png("sunny-logo.png"), cover_upload=png("front.png", "blue"))
    )
    assert response.status_code == 400
    html = response.text
    assert "<strong>sunny-logo.png</strong> kept — choose another to replace." in html
    assert "<strong>front.png</strong> kept — choose another to replace." in html
    assert not Storefront.objects.exists()

    # The browser sends no file this time; the kept ones are used.
    response = owner_client.post(
        EDIT,
        editor_data(
            logo_pending=pending_token(html, "logo"), cover_pending=pending_token(html, "cover")
        ),
    )
    assert response.status_code == 302
    storefront = Storefront.objects.get()
    assert storefront.logo is not None and storefront.cover is not None
    assert storefront.logo.title == "Mint & Co logo"


def test_a_new_choice_replaces_the_kept_image(owner_client):
    html = owner_client.post(EDIT, refused(logo_upload=png("first.png"))).text
    token = pending_token(html, "logo")
    html = owner_client.post(EDIT, refused(logo_pending=token, logo_upload=png("second.png"))).text
    assert "<strong>second.png</strong> kept" in html
    assert "first.png" not in html
    owner_client.post(EDIT, editor_data(logo_pending=pending_token(html, "logo")))
    assert Storefront.objects.get().logo.width == 60


def test_a_refused_image_is_not_kept(owner_client):
    bad = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    html = owner_client.post(EDIT, refused(logo_upload=bad)).text
    assert "Upload a JPEG, PNG or WebP image." in html
    assert pending_token(html, "logo") == ""


@pytest.mark.parametrize(
    "token",
    [
        "../../etc/passwd",
        "/tmp/logo.png",
        "1",
        "x" * 5000,
        signing.dumps({"i": 1, "p": 1, "f": "logo", "n": "a.png"}, salt="wrong salt"),
        "\x00",
    ],
    # Fixed ids: the signed token carries a timestamp, so its own text differs between the
    # parallel test workers' collections.
    ids=["path", "absolute-path", "digit", "5000-chars", "wrong-salt", "nul"],
)
def test_a_forged_token_is_ignored(owner_client, token):
    response = owner_client.post(EDIT, editor_data(logo_pending=token))
    assert response.status_code == 302
    assert Storefront.objects.get().logo is None


def test_another_owners_kept_image_cannot_be_taken(owner_client):
    other = ProfileFactory()
    client = Client()
    client.force_login(other.user)
    html = client.post(EDIT, refused(slug="other", logo_upload=png())).text
    stolen = pending_token(html, "logo")
    assert stolen
    response = owner_client.post(EDIT, editor_data(logo_pending=stolen))
    assert response.status_code == 302
    assert Storefront.objects.get(profile=owner_client.profile).logo is None


def test_a_token_for_the_logo_does_not_set_the_cover(owner_client):
    html = owner_client.post(EDIT, refused(logo_upload=png())).text
    token = pending_token(html, "logo")
    owner_client.post(EDIT, editor_data(cover_pending=token))
    assert Storefront.objects.get().cover is None


def test_tokens_are_signed_for_one_owner():
    profile = ProfileFactory()

    class Image:
        pk = 7

    token = pending_upload_token(image=Image, profile=profile, field="logo", name="a.png")
    assert signing.loads(token, salt=SALT)["p"] == profile.pk
