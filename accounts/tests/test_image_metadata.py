"""What is stored as an owner's original upload carries no metadata (EXIF, GPS, XMP,
comments, text chunks), with the EXIF orientation applied to the pixels instead.

Uploaded through the real views (the profile logo and the storefront cover), then the stored
original file is opened and searched, so a leaked original says nothing about where a photo
was taken or with what.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import ExifTags, PngImagePlugin
from PIL import Image as PILImage

from accounts.models import Profile
from storefronts.models import Storefront
from storefronts.tests.editor_data import editor_data
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 20), (20, 20, 220)
# A place, in the rational degrees/minutes/seconds EXIF stores.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 33.0, 52.25),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (0.0, 0.0, 41.5),
}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>51,33.87N</GPSLatitude></x:xmpmeta>'
MARKERS = [b"Exif", b"PhoneCo", b"SecretPhone 12", b"GPSLatitude", b"xmpmeta", b"Shot at home"]


def photo(fmt="JPEG", *, orientation=6) -> bytes:
    """A 40 × 20 picture, left half red and right half blue, whose EXIF says "rotate 90°
    clockwise to show" (orientation 6), with GPS, camera make and model, XMP and a comment."""
    image = PILImage.new("RGB", (40, 20), RED)
    image.paste(BLUE, (20, 0, 40, 20))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "SecretPhone 12"
    exif[ExifTags.IFD.GPSInfo] = GPS
    extra = {"exif": exif.tobytes()}
    if fmt == "JPEG":
        extra.update(xmp=XMP, comment=b"Shot at home", quality=95)
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "Shot at home")
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        extra["pnginfo"] = info
    elif fmt == "WEBP":
        extra.update(xmp=XMP, lossless=True)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **extra)
    return buffer.getvalue()


def stored_original(image) -> bytes:
    with image.file.open("rb") as handle:
        return handle.read()


def assert_no_metadata(content: bytes):
    for marker in MARKERS:
        assert marker not in content, marker
    with PILImage.open(io.BytesIO(content)) as opened:
        assert not opened.getexif()
        assert not opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert not set(opened.info) & {"exif", "xmp", "comment", "Comment", "XML:com.adobe.xmp"}


def assert_upright(content: bytes):
    """Orientation 6 turned the 40 × 20 picture into 20 × 40: red on top, blue below."""
    with PILImage.open(io.BytesIO(content)) as opened:
        assert opened.size == (20, 40)
        rgb = opened.convert("RGB")
        assert all(abs(a - b) < 40 for a, b in zip(rgb.getpixel((10, 5)), RED, strict=True))
        assert all(abs(a - b) < 40 for a, b in zip(rgb.getpixel((10, 35)), BLUE, strict=True))


def test_the_test_photo_really_carries_gps_and_the_rest():
    # Guards the test itself: the markers the stored file must lack are in the upload.
    content = photo()
    with PILImage.open(io.BytesIO(content)) as opened:
        gps = opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert gps[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert opened.getexif()[ExifTags.Base.Orientation] == 6
        assert opened.size == (40, 20)
    for marker in MARKERS:
        assert marker in content, marker


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_profile_logo_is_stored_without_gps_or_other_metadata_and_upright(client, fmt):
    profile = ProfileFactory(business_name="Mint")
    client.force_login(profile.user)
    upload = SimpleUploadedFile(f"IMG_0001.{fmt.lower()}", photo(fmt))
    response = client.post("/dashboard/profile/", {"business_name": "Mint", "logo_upload": upload})
    assert response.status_code == 302
    logo = Profile.objects.get(pk=profile.pk).logo
    content = stored_original(logo)
    assert_no_metadata(content)
    assert_upright(content)
    assert (logo.width, logo.height) == (20, 40)
    assert logo.file_size == len(content)
    with PILImage.open(io.BytesIO(content)) as opened:
        assert opened.format == fmt  # still the format the owner uploaded


def test_a_storefront_cover_is_stored_without_gps_or_other_metadata_and_upright(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    upload = SimpleUploadedFile("cover.jpg", photo("JPEG"), content_type="image/jpeg")
    response = client.post("/dashboard/storefront/", {**editor_data(), "cover_upload": upload})
    assert response.status_code == 302
    cover = Storefront.objects.get(profile=profile).cover
    content = stored_original(cover)
    assert_no_metadata(content)
    assert_upright(content)


def test_an_image_without_orientation_keeps_its_shape_and_transparency(client):
    profile = ProfileFactory(business_name="Mint")
    client.force_login(profile.user)
    image = PILImage.new("RGBA", (30, 10), (0, 0, 0, 0))
    image.paste((10, 150, 90, 255), (0, 0, 10, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue())
    client.post("/dashboard/profile/", {"business_name": "Mint", "logo_upload": upload})
    content = stored_original(Profile.objects.get(pk=profile.pk).logo)
    with PILImage.open(io.BytesIO(content)) as opened:
        assert opened.size == (30, 10)
        assert opened.mode == "RGBA"
        assert opened.getpixel((25, 5))[3] == 0  # still see-through
        assert opened.getpixel((5, 5)) == (10, 150, 90, 255)
