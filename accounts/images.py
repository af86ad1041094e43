"""Images that owners upload (profile logo, storefront logo and cover).

The upload rules live in ``OwnerImageField``: JPEG, PNG or WebP only (judged by the decoded
file, never the name), at most 5 MB and 40 megapixels. Accepted uploads are stored as Wagtail
``Image`` objects in the "Owner uploads" collection, so pages only ever show resized
renditions (``{% image obj.logo fill-160x160 format-webp %}``), never the raw file.

What is stored as the original is not the uploaded file either: ``image_without_metadata``
re-encodes it with its EXIF orientation applied and every piece of metadata dropped (EXIF
with camera details and GPS position, XMP, comments, PNG text chunks), so even a leaked
original says nothing about where or with what it was taken. Only the colour profile and
PNG transparency are kept. Animated images keep their first frame.

Models point at them with ``core.fields.optional_image()`` (a nullable ``ForeignKey`` to
``wagtailimages.Image``, ``SET_NULL``, no reverse accessor).
"""

import io
import math
import re
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.models import Collection

OWNER_COLLECTION_NAME = "Owner uploads"
# Pillow's format name → the extension the stored file gets.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def _one_decimal_up(value: float) -> str:
    """7.16 → "7.2", 48.0 → "48": rounded up, so an over-limit size never reads as the limit."""
    text = f"{math.ceil(value * 10) / 10:.1f}"
    return text.removesuffix(".0")


def _max_bytes() -> int:
    return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", MAX_BYTES) or MAX_BYTES


def _max_pixels() -> int:
    return getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", MAX_PIXELS) or MAX_PIXELS


class OwnerImageField(forms.ImageField):
    """An image upload limited to JPEG/PNG/WebP, 5 MB and 40 megapixels."""

    # The extension says nothing about the content; the decoded format is checked instead.
    default_validators: list = []
    default_error_messages = {
        "invalid_image": "Upload a JPEG, PNG or WebP image.",
        "format": "Upload a JPEG, PNG or WebP image.",
        "too_big": "That image is %(size)s MB; the limit is %(limit)s MB.",
        "too_many_pixels": "That image is %(pixels)s megapixels; the limit is %(limit)s.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "JPEG, PNG or WebP; at most 5 MB and 40 megapixels.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def to_python(self, data):
        if data in self.empty_values:
            return None
        limit = _max_bytes()
        size = getattr(data, "size", None)
        if size is not None and size > limit:
            # Refused before Pillow decodes anything.
            raise forms.ValidationError(
                self.error_messages["too_big"],
                code="too_big",
                params={
                    "size": _one_decimal_up(size / 1024 / 1024),
                    "limit": _one_decimal_up(limit / 1024 / 1024),
                },
            )
        try:
            upload = super().to_python(data)  # Pillow opens and verifies it; sets upload.image
        except forms.ValidationError as exc:
            self._raise_if_too_many_pixels(exc)
            raise
        image = upload.image
        if image.format not in ALLOWED_FORMATS:
            raise forms.ValidationError(self.error_messages["format"], code="format")
        width, height = image.size
        if width * height > _max_pixels():
            raise forms.ValidationError(
                self.error_messages["too_many_pixels"],
                code="too_many_pixels",
                params={
                    "pixels": _one_decimal_up(width * height / 1_000_000),
                    "limit": _one_decimal_up(_max_pixels() / 1_000_000),
                },
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        return upload

    def _raise_if_too_many_pixels(self, exc: forms.ValidationError) -> None:
        """Pillow refuses huge images outright as "decompression bombs"; say why, not "not an
        image"."""
        from PIL import Image as PILImage

        cause = exc.__cause__
        if not isinstance(cause, PILImage.DecompressionBombError):
            return
        found = re.search(r"\((\d+) pixels\)", str(cause))
        pixels = int(found.group(1)) if found else _max_pixels() + 1
        raise forms.ValidationError(
            self.error_messages["too_many_pixels"],
            code="too_many_pixels",
            params={
                "pixels": _one_decimal_up(pixels / 1_000_000),
                "limit": _one_decimal_up(_max_pixels() / 1_000_000),
            },
        ) from cause


def owner_collection() -> Collection:
    """The "Owner uploads" collection, created under the root on first use."""
    existing = Collection.objects.filter(name=OWNER_COLLECTION_NAME).first()
    if existing:
        return existing
    return Collection.get_first_root_node().add_child(name=OWNER_COLLECTION_NAME)


# Image.info entries that are pixels, not metadata: the colour profile and PNG transparency.
KEPT_INFO = ("icc_profile", "transparency")
# Originals are only the source Wagtail resizes from, so a high quality is plenty.
SAVE_OPTIONS = {"JPEG": {"quality": 92}, "WEBP": {"quality": 92}, "PNG": {}}


def image_without_metadata(*, upload) -> tuple[bytes, str]:
    """``upload`` re-encoded in its own format (JPEG, PNG or WebP), turned the way its EXIF
    orientation says, with no EXIF, GPS, XMP, comments or text chunks. Returns the bytes and
    the Pillow format name."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    upload.seek(0)
    with PILImage.open(upload) as source:
        image_format = source.format
        source.seek(0)  # the first frame of an animation
        upright = ImageOps.exif_transpose(source)  # a new image, orientation applied
    upright.info = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
    buffer = io.BytesIO()
    upright.save(buffer, format=image_format, **SAVE_OPTIONS.get(image_format, {}))
    return buffer.getvalue(), image_format


@transaction.atomic
def owner_image_save(*, upload: UploadedFile, title: str):
    """Store an upload that passed ``OwnerImageField`` as a Wagtail image and return it.

    The stored original is ``image_without_metadata(upload)``, never the bytes as uploaded.
    """
    content, image_format = image_without_metadata(upload=upload)
    extension = ALLOWED_FORMATS.get(image_format) or PurePath(upload.name).suffix.lstrip(".")
    stem = slugify(PurePath(upload.name).stem)[:50] or "image"
    image_model = get_image_model()
    image = image_model(
        title=title[:255] or stem,
        file=ContentFile(content, name=f"{stem}.{extension}"),
        collection=owner_collection(),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def owner_image_delete(*, image) -> None:
    """Delete an owner image; Wagtail removes its file and its renditions' files on commit."""
    image.delete()
