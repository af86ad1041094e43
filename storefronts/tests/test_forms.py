"""Every validation rule of the storefront editor; a failed submit saves nothing."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from storefronts.forms import StorefrontEditor
from storefronts.models import Offer, OpeningHours, Storefront, StorefrontSlugHistory
from storefronts.services import storefront_save
from storefronts.tests.editor_data import editor_data
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def bind(data, *, storefront=None, files=None):
    instance = storefront or Storefront(profile=ProfileFactory())
    return StorefrontEditor(instance=instance, data=data, files=files)


def save(data, *, storefront=None, files=None):
    editor = bind(data, storefront=storefront, files=files)
    assert editor.is_valid(), (editor.form.errors, editor.offers.errors, editor.hours.errors)
    return storefront_save(editor=editor, profile=editor.instance.profile)


def errors_of(editor):
    editor.is_valid()
    return editor


def bind_beside_saved(storefront, prefix, saved, rows):
    """(data, checked editor) of ``storefront`` with its ``saved`` row of ``prefix`` as form
    0, left unchanged, and ``rows`` added; no offers."""
    data = editor_data(
        **{
            "offers-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": str(saved.pk),
            **rows,
        }
    )
    return data, errors_of(bind(data, storefront=storefront))


def test_valid_editor_saves_storefront_offers_and_hours_and_ignores_blank_rows():
    storefront = save(editor_data())
    assert storefront.slug == "mint-co"
    assert storefront.phone == "+442079460958"
    assert [o.title for o in storefront.offers.all()] == ["Gift card"]
    assert storefront.opening_hours.count() == 1
    assert storefront.special_dates.count() == 0


def test_invalid_offer_saves_nothing_and_the_error_sits_on_the_offer_field():
    editor = errors_of(bind(editor_data(**{"offers-0-url": "not a url"})))
    assert not editor.is_valid()
    assert "url" in editor.offers.forms[0].errors
    assert Storefront.objects.count() == 0 and Offer.objects.count() == 0


@pytest.mark.parametrize(
    ("slug", "fragment"),
    [
        ("admin", "reserved"),
        ("dashboard", "reserved"),
        ("new", "reserved"),
        ("api", "reserved"),
        ("my salon", "lowercase letters"),
        ("-salon", "lowercase letters"),
        ("salon--two", "lowercase letters"),
        ("", "required"),
    ],
)
def test_bad_slugs_are_refused(slug, fragment):
    editor = errors_of(bind(editor_data(slug=slug)))
    assert fragment in " ".join(editor.form.errors["slug"]).lower()


def test_slug_is_lowercased():
    assert save(editor_data(slug="Mint-Co")).slug == "mint-co"


def test_slug_used_by_another_storefront_or_its_history_is_taken():
    other = StorefrontFactory(slug="taken-one")
    StorefrontSlugHistory.objects.create(storefront=other, slug="old-one")
    for slug in ("taken-one", "old-one"):
        editor = errors_of(bind(editor_data(slug=slug)))
        assert editor.form.errors["slug"] == [
            "That address is already taken. Please choose another."
        ]


def test_owner_may_return_to_their_own_old_slug():
    storefront = save(editor_data(slug="first"))
    storefront = save(editor_data(slug="second"), storefront=storefront)
    storefront = save(editor_data(slug="first"), storefront=storefront)
    assert storefront.slug == "first"
    assert list(StorefrontSlugHistory.objects.values_list("slug", flat=True)) == ["second"]


@pytest.mark.parametrize(
    ("colour", "fragment"),
    [
        ("green", "six hex digits"),
        ("#12345", "six hex digits"),
        ("#ffff00", "hard to read"),
        ("#7fdbff", "hard to read"),
    ],
)
def test_brand_colour_must_be_hex_and_readable_with_white_text(colour, fragment):
    editor = errors_of(bind(editor_data(brand_colour=colour)))
    assert fragment in " ".join(editor.form.errors["brand_colour"])


def test_brand_colour_uppercase_hex_is_accepted_and_normalised():
    assert save(editor_data(brand_colour="#1F3A93")).brand_colour == "#1f3a93"


@pytest.mark.parametrize("phone", ["12", "call me", "+44 20 1234"])
def test_invalid_phone_numbers_are_refused(phone):
    editor = errors_of(bind(editor_data(phone=phone)))
    assert "phone" in editor.form.errors


@pytest.mark.parametrize("field", ["website_url", "instagram_url", "facebook_url", "cta_url"])
def test_links_must_be_urls(field):
    editor = errors_of(bind(editor_data(**{field: "javascript:alert(1)", "cta_label": "Go"})))
    assert field in editor.form.errors


def test_email_is_validated():
    editor = errors_of(bind(editor_data(contact_email="nope")))
    assert "contact_email" in editor.form.errors


def test_unknown_time_zone_is_refused():
    editor = errors_of(bind(editor_data(time_zone="Mars/Olympus")))
    assert "time_zone" in editor.form.errors


def test_hours_ending_before_they_start_are_refused():
    editor = errors_of(bind(editor_data(**{"hours-0-opens": "17:00", "hours-0-closes": "09:00"})))
    assert editor.hours.forms[0].errors["closes"] == ["Closing time must be after opening time."]


def test_overlapping_ranges_on_one_day_are_refused_but_touching_ones_are_fine():
    data = editor_data(
        **{"hours-1-weekday": "0", "hours-1-opens": "12:00", "hours-1-closes": "18:00"}
    )
    editor = errors_of(bind(data))
    assert editor.hours.forms[1].errors["opens"] == ["Overlaps Monday 09:00–17:00."]
    assert OpeningHours.objects.count() == 0

    data["hours-1-opens"] = "17:00"
    assert save(data).opening_hours.count() == 2


def test_a_new_range_may_not_overlap_a_saved_one_left_unchanged():
    storefront = save(editor_data())  # Monday 09:00–17:00
    data, editor = bind_beside_saved(
        storefront,
        "hours",
        storefront.opening_hours.get(),
        {"hours-1-weekday": "0", "hours-1-opens": "16:00", "hours-1-closes": "18:00"},
    )
    assert not editor.hours.forms[0].errors
    assert editor.hours.forms[1].errors["opens"] == ["Overlaps Monday 09:00–17:00."]

    # Deleting the saved range in the same submit frees the time.
    data["hours-0-DELETE"] = "on"
    assert list(save(data, storefront=storefront).opening_hours.values_list("opens")) == [
        (dt.time(16),)
    ]


def test_same_times_on_different_days_do_not_overlap():
    data = editor_data(
        **{"hours-1-weekday": "1", "hours-1-opens": "09:00", "hours-1-closes": "17:00"}
    )
    assert save(data).opening_hours.count() == 2


def test_special_dates_closed_or_with_valid_times():
    base = {"special-0-date": "2026-12-25"}
    assert save(editor_data(**base)).special_dates.get().closed

    # "Closed" is ticked by default; typed times win over the tick (the date is open then).
    saved = save(
        editor_data(
            **base, slug="mint-co-2", **{"special-0-opens": "10:00", "special-0-closes": "12:00"}
        )
    ).special_dates.get()
    assert (saved.closed, f"{saved.opens:%H:%M}", f"{saved.closes:%H:%M}") == (
        False,
        "10:00",
        "12:00",
    )
    # One time alone is not a range: the owner is asked for the other.
    editor = errors_of(bind(editor_data(**base, **{"special-0-opens": "10:00"})))
    assert "opens" in editor.special_dates.forms[0].errors

    editor = errors_of(bind(editor_data(**{**base, "special-0-closed": None})))
    assert "opens" in editor.special_dates.forms[0].errors

    editor = errors_of(
        bind(
            editor_data(
                **{
                    **base,
                    "special-0-closed": None,
                    "special-0-opens": "14:00",
                    "special-0-closes": "10:00",
                }
            )
        )
    )
    assert "closes" in editor.special_dates.forms[0].errors


def test_a_date_can_only_be_listed_once():
    data = editor_data(
        **{
            "special-TOTAL_FORMS": "2",
            "special-0-date": "2026-12-25",
            "special-1-date": "2026-12-25",
            "special-1-closed": "on",
        }
    )
    editor = errors_of(bind(data))
    assert editor.special_dates.forms[1].errors["date"] == ["This date is already listed."]


def test_a_saved_date_left_unchanged_cannot_be_listed_again():
    storefront = save(editor_data(**{"special-0-date": "2026-12-25"}))
    _, editor = bind_beside_saved(
        storefront,
        "special",
        storefront.special_dates.get(),
        {
            "special-TOTAL_FORMS": "2",
            "special-0-date": "2026-12-25",
            "special-1-date": "2026-12-25",
            "special-1-closed": "on",
        },
    )
    assert not editor.special_dates.forms[0].errors
    assert editor.special_dates.forms[1].errors["date"] == ["This date is already listed."]
    assert not editor.special_dates.non_form_errors()


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        pytest.param(
            {
                "offers-0-is_primary": "on",
                "offers-1-title": "Voucher",
                "offers-1-url": "https://studio.mintkit.co.uk/p/v",
                "offers-1-is_primary": "on",
            },
            1,
            id="only one offer",
        ),
        pytest.param(
            {"offers-0-is_primary": "on", "offers-0-is_active": None}, 0, id="not a hidden offer"
        ),
    ],
)
def test_the_main_call_to_action_is_one_shown_offer(fields, refused):
    editor = errors_of(bind(editor_data(**fields)))
    assert "is_primary" in editor.offers.forms[refused].errors


def test_call_to_action_label_needs_a_target_and_a_link_needs_a_label():
    editor = errors_of(bind(editor_data(cta_label="Book now")))
    assert "Choose where this button goes" in editor.form.errors["cta_label"][0]
    editor = errors_of(bind(editor_data(cta_url="https://book.example")))
    assert "cta_label" in editor.form.errors
    assert save(editor_data(cta_label="Book", **{"offers-0-is_primary": "on"})).cta_label == "Book"


def test_moving_the_main_offer_between_offers_in_one_save():
    storefront = StorefrontFactory()
    first = OfferFactory(storefront=storefront, is_primary=True, title="First")
    second = OfferFactory(storefront=storefront, title="Second")
    data = editor_data(
        slug=storefront.slug,
        **{
            "offers-TOTAL_FORMS": "2",
            "offers-INITIAL_FORMS": "2",
            "offers-0-id": str(first.pk),
            "offers-0-title": "First",
            "offers-0-url": first.url,
            "offers-1-id": str(second.pk),
            "offers-1-title": "Second",
            "offers-1-url": second.url,
            "offers-1-kind": "voucher",
            "offers-1-is_primary": "on",
        },
    )
    save(data, storefront=storefront)
    assert list(Offer.objects.filter(is_primary=True)) == [second]


def test_deleting_an_offer_row():
    storefront = StorefrontFactory()
    offer = OfferFactory(storefront=storefront)
    data = editor_data(
        slug=storefront.slug,
        **{
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "1",
            "offers-0-id": str(offer.pk),
            "offers-0-title": "",
            "offers-0-url": "",
            "offers-0-DELETE": "on",
        },
    )
    save(data, storefront=storefront)
    assert not Offer.objects.exists()


def _png(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_logo_upload_is_stored_as_a_wagtail_image_and_can_be_removed():
    files = {"logo_upload": SimpleUploadedFile("logo.png", _png(), content_type="image/png")}
    storefront = save(editor_data(), files=files)
    assert storefront.logo is not None and storefront.logo.width == 20
    storefront = save(editor_data(logo_remove="on"), storefront=storefront)
    assert storefront.logo is None


def test_logo_upload_must_be_an_image():
    files = {
        "logo_upload": SimpleUploadedFile("logo.png", b"<svg></svg>", content_type="image/png")
    }
    editor = errors_of(bind(editor_data(), files=files))
    assert editor.form.errors["logo_upload"] == ["Upload a JPEG, PNG or WebP image."]


def test_an_unchanged_main_offer_still_counts_as_the_button_target():
    storefront = StorefrontFactory(cta_label="Buy a gift card")
    offer = OfferFactory(storefront=storefront, is_primary=True)
    data = editor_data(
        slug=storefront.slug,
        cta_label="Buy a gift card",
        **{
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "1",
            "offers-0-id": str(offer.pk),
            "offers-0-title": offer.title,
            "offers-0-kind": offer.kind,
            "offers-0-price_text": offer.price_text,
            "offers-0-url": offer.url,
            "offers-0-sort_order": str(offer.sort_order),
            "offers-0-is_primary": "on",
        },
    )
    save(data, storefront=storefront)
    offer.refresh_from_db()
    assert offer.is_primary


def test_replacing_the_cover_deletes_the_old_image():
    from wagtail.images import get_image_model

    first = {"cover_upload": SimpleUploadedFile("a.png", _png((40, 20)), content_type="image/png")}
    storefront = save(editor_data(), files=first)
    old_pk = storefront.cover.pk
    second = {"cover_upload": SimpleUploadedFile("b.png", _png((60, 20)), content_type="image/png")}
    storefront = save(editor_data(), storefront=storefront, files=second)
    assert storefront.cover.width == 60
    assert not get_image_model().objects.filter(pk=old_pk).exists()
