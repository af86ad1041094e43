"""Local media: only resized renditions under images/ are served, however the path is spelled.

Originals (``original_images/``) and anything else under or outside ``MEDIA_ROOT`` must never
come back, whatever encoding, separator or case trick the URL uses; odd input is a 404 or a
400, never a 500.
"""

import os

from django.test import Client

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    image = Image.objects.create(title="logo", file=get_test_image_file())
    rendition = image.get_rendition("fill-50x50")
    image.file.open("rb")
    original = image.file.read()
    image.file.close()
    name = os.path.basename(image.file.name)
    assert image.file.name == f"original_images/{name}"
    return {"image": image, "rendition": rendition, "original": original, "name": name}


def test_a_rendition_is_served_with_a_long_cache(client, stored):
    response = client.get(stored["rendition"].url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=2592000"
    assert b"".join(response.streaming_content) != stored["original"]


# Every way we know to spell "go up out of images/ into original_images/<name>".
TRAVERSALS = [
    "/media/images/../original_images/{name}",
    "/media/images/%2e%2e/original_images/{name}",
    "/media/images/%2E%2E/original_images/{name}",
    "/media/images/%2e%2E/original_images/{name}",
    "/media/images/.%2e/original_images/{name}",
    "/media/images/%2e./original_images/{name}",
    "/media/images/..%2foriginal_images/{name}",
    "/media/images/..%2Foriginal_images%2F{name}",
    "/media/images/%2e%2e%2foriginal_images%2f{name}",
    "/media/images/%252e%252e/original_images/{name}",
    "/media/images/%252e%252e%252foriginal_images%252f{name}",
    "/media/images/..%252foriginal_images/{name}",
    "/media/images/..%5coriginal_images%5c{name}",
    "/media/images/%2e%2e%5Coriginal_images%5C{name}",
    "/media/images/..\\original_images\\{name}",
    "/media/images/./../original_images/{name}",
    "/media/images/x/../../original_images/{name}",
    "/media/images/%2e%2e/%2e%2e/media/original_images/{name}",
    "/media/images//../original_images/{name}",
    "/media/Images/%2e%2e/original_images/{name}",
    "/media/IMAGES/../original_images/{name}",
    "/media/images/%2e%2e/ORIGINAL_IMAGES/{name}",
    "/media/images/%2e%2e/original_images/{upper}",
    "/media/images/..;/original_images/{name}",
    "/media/images/%c0%ae%c0%ae/original_images/{name}",
    "/media/images/%ef%bc%8e%ef%bc%8e/original_images/{name}",
    "/media/images/%2e%2e%00/original_images/{name}",
    "/media/images/{name}%00.png",
    "/media/images/%00",
    "/media/images/%2e%2e/original_images/{name}%00",
    "/media/original_images/{name}",
    "/media/images/original_images/{name}",
    "/media/images/%2foriginal_images/{name}",
    "/media/images//{root}/original_images/{name}",
    "/media/images/%2f{root}/original_images/{name}",
    "/media/images/{root}/original_images/{name}",
    "/media/images/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/media/images//etc/passwd",
    "/media/images/%2fetc%2fpasswd",
    "/media/images/C:%5cWindows%5cwin.ini",
    "/media/images/" + "a" * 300,
    "/media/images/" + "a/" * 2000 + "x.png",
    "/media/images/" + "%2e%2e/" * 500 + "original_images/{name}",
    "/media/images/.",
    "/media/images/..",
    "/media/images/",
]


@pytest.mark.parametrize("template", TRAVERSALS)
def test_no_spelling_of_a_path_reaches_an_original_or_anything_outside_images(
    stored, settings, template
):
    url = template.format(
        name=stored["name"],
        upper=stored["name"].upper(),
        root=str(settings.MEDIA_ROOT).lstrip("/"),
    )
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert stored["original"] not in body


def test_a_symbolic_link_out_of_images_is_not_followed(client, stored, settings):
    link = settings.MEDIA_ROOT / "images" / "link.png"
    os.symlink(settings.MEDIA_ROOT / "original_images" / stored["name"], link)
    assert client.get("/media/images/link.png").status_code == 404


def test_posting_to_media_is_refused(client, stored):
    assert client.post(stored["rendition"].url).status_code == 405
