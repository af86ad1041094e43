"""The storefront editor: one form for the storefront plus formsets for offers, hours
and special dates, validated together so a failed submit saves nothing."""

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError

from accounts.images import OwnerImageField
from accounts.phones import PhoneMessages, phone_display, phone_normalise

from .editor_base import EditorForm, QuickSelect, editor_formfield
from .formsets import (  # noqa: F401  (the editor's formsets, imported from here too)
    TAMPERED_ROWS_MESSAGE,
    OfferFormSet,
    OpeningHoursFormSet,
    SpecialDateFormSet,
)
from .models import Storefront, Theme
from .pending_uploads import PendingUpload, pending_upload_resolve
from .selectors import SlugAvailability, slug_availability
from .validators import validate_brand_colour

PHONE_MESSAGES = PhoneMessages(
    unreadable="Enter a phone number, e.g. 020 7946 0958.",
    invalid="That doesn't look like a valid phone number.",
)


TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


# How to reach the business: the editor's "Contact and links" section, in this order.
CONTACT_FIELDS = (
    "contact_email",
    "phone",
    "street",
    "town",
    "postcode",
    "country",
    "website_url",
    "instagram_url",
    "facebook_url",
    "tiktok_url",
)


class StorefrontForm(EditorForm):
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES, initial="Europe/London", widget=QuickSelect
    )
    # A plain text field: clean_slug gives one clear message for every bad address.
    slug = forms.CharField(
        label="Web address",
        max_length=50,
        help_text="Lowercase letters, numbers and hyphens, e.g. mint-and-co.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    logo_upload = OwnerImageField(label="Logo", required=False)
    logo_remove = forms.BooleanField(label="Remove the logo", required=False)
    cover_upload = OwnerImageField(label="Cover image", required=False)
    cover_remove = forms.BooleanField(label="Remove the cover image", required=False)
    # Signed tokens for images kept from a refused submit (storefronts/pending_uploads.py).
    # A plain Field: whatever comes back is only ever looked up as a signed token, and
    # anything else is ignored rather than shown as an error on a field nobody can see.
    logo_pending = forms.Field(required=False, widget=forms.HiddenInput)
    cover_pending = forms.Field(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Storefront
        formfield_callback = editor_formfield
        fields = [
            "name",
            "slug",
            "headline",
            "description",
            "category",
            "brand_colour",
            "theme",
            "cta_label",
            "cta_url",
            *CONTACT_FIELDS,
            "time_zone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "slug": forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["theme"].required = False
        self.pending: dict[str, PendingUpload] = {}
        if self.instance.phone:
            # Stored as E.164; shown the way people write it.
            self.initial["phone"] = phone_display(self.instance.phone)
        self.inherited = self._note_inherited_contact()

    def _note_inherited_contact(self) -> dict[str, str]:
        """Blank contact fields show the business profile's value (which the storefront
        uses) and say so; typing one in overrides it on the storefront only."""
        profile = self.profile
        if profile is None:
            return {}
        inherited = {}
        for name, value, shown, noun in (
            ("contact_email", profile.contact_email, profile.contact_email, "e-mail"),
            ("phone", profile.phone, phone_display(profile.phone), "phone"),
        ):
            if value and not getattr(self.instance, name):
                inherited[name] = shown
                self.fields[name].widget.attrs["placeholder"] = shown
                self.fields[name].help_text = (
                    f"Using your business profile's {noun} ({shown}). Type one here to "
                    "override it on this storefront only."
                )
        return inherited

    def _clean_pending(self, field: str):
        pending = pending_upload_resolve(
            token=self.cleaned_data.get(f"{field}_pending"), profile=self.profile, field=field
        )
        if pending is None:
            return ""
        self.pending[field] = pending
        return pending.token

    def clean_logo_pending(self):
        return self._clean_pending("logo")

    def clean_cover_pending(self):
        return self._clean_pending("cover")

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        storefront = self.instance if self.instance.pk else None
        result = slug_availability(slug=slug, storefront=storefront)
        if result.status == SlugAvailability.TAKEN:
            raise ValidationError("That address is already taken. Please choose another.")
        if result.status == SlugAvailability.INVALID:
            raise ValidationError(result.message)
        return slug

    def clean_brand_colour(self):
        colour = (self.cleaned_data.get("brand_colour") or "").strip().lower()
        validate_brand_colour(colour)
        return colour

    def clean_theme(self):
        # Every browser sends the select; a client that leaves it out keeps the current theme.
        # An unknown value never gets here: the choice field refuses it.
        return self.cleaned_data.get("theme") or self.instance.theme or Theme.CLASSIC

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone", ""), messages=PHONE_MESSAGES)

    def clean(self):
        data = super().clean()
        if data.get("cta_url") and not data.get("cta_label"):
            self.add_error("cta_label", "Give the main button a label, e.g. “Book now”.")
        return data


# The editor's collapsible sections: (key, heading, the storefront form's fields in it,
# the formsets in it).
EDITOR_SECTIONS = [
    (
        "details",
        "Details",
        ("name", "slug", "headline", "description", "category", "cta_label", "cta_url"),
        (),
    ),
    (
        "contact",
        "Contact and links",
        CONTACT_FIELDS,
        (),
    ),
    ("hours", "Opening hours", ("time_zone",), ("hours", "special_dates")),
    ("offers", "Offers", (), ("offers",)),
    (
        "look",
        "Look: theme, logo, cover and colour",
        ("theme", "brand_colour", "logo_upload", "logo_remove", "cover_upload", "cover_remove"),
        (),
    ),
]


class StorefrontEditor:
    """The storefront form and its three formsets, bound and validated as one."""

    def __init__(self, *, instance: Storefront, data=None, files=None, profile=None):
        self.instance = instance
        self.form = StorefrontForm(data, files, instance=instance, profile=profile)
        self.offers = OfferFormSet(data, instance=instance, prefix="offers")
        self.hours = OpeningHoursFormSet(data, instance=instance, prefix="hours")
        self.special_dates = SpecialDateFormSet(data, instance=instance, prefix="special")

    @property
    def sections_with_errors(self) -> dict[str, bool]:
        """Which editor sections hold an error (they are shown open)."""
        if not self.form.is_bound:
            return {}
        errors = self.form.errors
        return {
            key: any(name in errors for name in fields)
            or any(getattr(self, fs).total_error_count() for fs in formsets)
            for key, _title, fields, formsets in EDITOR_SECTIONS
        }

    @property
    def parts(self):
        return [self.form, self.offers, self.hours, self.special_dates]

    def is_valid(self) -> bool:
        valid = all([part.is_valid() for part in self.parts])  # list: validate every part
        data = self.form.cleaned_data if valid else {}
        if (
            data.get("cta_label")
            and not data.get("cta_url")
            and not self.offers.primary_offer_given()
        ):
            self.form.add_error(
                "cta_label",
                "Choose where this button goes: add a link below, or tick “main call to "
                "action” on one of your offers.",
            )
            valid = False
        return valid

    @property
    def error_count(self) -> int:
        count = len(self.form.errors)
        for formset in self.parts[1:]:
            count += len(formset.non_form_errors()) + sum(len(e) for e in formset.errors)
        return count
