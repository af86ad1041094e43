"""Owner image uploads: format, size and pixel limits; stored as Wagtail images."""

import io

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from accounts.images import OwnerImageField, owner_image_delete, owner_image_save


def image_bytes(fmt="PNG", size=(40, 30), color=(20, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name="logo.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, content or image_bytes(), content_type=content_type)


class LogoForm(forms.Form):
    logo = OwnerImageField()


def errors_for(file):
    form = LogoForm(files={"logo": file})
    assert not form.is_valid()
    return form.errors["logo"]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    form = LogoForm(files={"logo": upload(f"logo.{fmt.lower()}", image_bytes(fmt))})
    assert form.is_valid(), form.errors


def test_the_decoded_format_counts_not_the_extension():
    gif = image_bytes("GIF")
    assert errors_for(upload("sneaky.png", gif)) == ["Upload a JPEG, PNG or WebP image."]
    # A real PNG with a misleading name is fine.
    assert LogoForm(files={"logo": upload("photo.jpg", image_bytes("PNG"))}).is_valid()


def test_a_file_that_is_not_an_image_is_refused():
    bad = upload("logo.png", b"%PDF-1.4 definitely not a picture")
    assert errors_for(bad) == ["Upload a JPEG, PNG or WebP image."]


def test_more_than_5_mb_is_refused_with_the_size():
    big = upload("big.png", image_bytes() + b"\0" * int(7.15 * 1024 * 1024))
    assert errors_for(big) == ["That image is 7.2 MB; the limit is 5 MB."]


def test_more_than_40_megapixels_is_refused_with_the_count():
    # 8000 × 6000 = 48 MP, but a flat colour compresses to a small PNG.
    huge = upload("huge.png", image_bytes("PNG", size=(8000, 6000)))
    assert huge.size < 5 * 1024 * 1024
    assert errors_for(huge) == ["That image is 48 megapixels; the limit is 40."]


@pytest.mark.django_db
def test_saved_uploads_are_wagtail_images_in_the_owner_collection_served_as_renditions():
    stored = owner_image_save(upload=_validated(upload("My Logo.png")), title="Logo")
    assert stored.collection.name == "Owner uploads"
    assert (stored.width, stored.height) == (40, 30)
    rendition = stored.get_rendition("fill-20x20|format-webp")
    assert rendition.url.endswith(".webp")
    assert rendition.url != stored.file.url
    second = owner_image_save(upload=_validated(upload("b.png")), title="Other")
    assert second.collection_id == stored.collection_id  # one collection, reused


@pytest.mark.django_db(transaction=True)
def test_deleting_an_owner_image_removes_it_its_renditions_and_files():
    stored = owner_image_save(upload=_validated(upload()), title="Logo")
    rendition = stored.get_rendition("fill-20x20")
    storage = stored.file.storage
    paths = [stored.file.name, rendition.file.name]
    assert all(storage.exists(p) for p in paths)
    owner_image_delete(image=stored)
    assert not get_image_model().objects.filter(pk=stored.pk).exists()
    assert not any(storage.exists(p) for p in paths)


def _validated(file):
    form = LogoForm(files={"logo": file})
    assert form.is_valid(), form.errors
    return form.cleaned_data["logo"]


def test_an_image_too_big_for_pillow_to_open_gets_the_megapixel_message(monkeypatch):
    # Pillow refuses images above 2 × MAX_IMAGE_PIXELS before decoding; lower the bar so a
    # 48 MP test image stands in for a multi-hundred-megapixel "decompression bomb".
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 10_000_000)
    huge = upload("bomb.png", image_bytes("PNG", size=(8000, 6000)))
    assert errors_for(huge) == ["That image is 48 megapixels; the limit is 40."]
