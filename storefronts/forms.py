"""The storefront editor: one form for the storefront plus formsets for offers, hours
and special dates, validated together so a failed submit saves nothing."""

import functools
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.images import OwnerImageField
from accounts.phones import PhoneMessages, phone_display, phone_normalise

from .hours import overlapping
from .links import TypedWebURLFormField
from .models import Offer, OpeningHours, SpecialDate, Storefront, Theme
from .pending_uploads import PendingUpload, pending_upload_resolve
from .selectors import SlugAvailability, slug_availability
from .validators import validate_brand_colour

SOCIAL_NETWORKS = {"instagram_url": "instagram", "facebook_url": "facebook", "tiktok_url": "tiktok"}


def _formfield(db_field, **kwargs):
    # Links are taken as people type them: "www.example.co.uk" is stored as
    # https://www.example.co.uk, "@sunnyside" in the Instagram field as its profile address.
    if isinstance(db_field, models.URLField):
        kwargs["form_class"] = TypedWebURLFormField
        if db_field.name in SOCIAL_NETWORKS:
            kwargs["network"] = SOCIAL_NETWORKS[db_field.name]
    return db_field.formfield(**kwargs)


class EditorForm(forms.ModelForm):
    """A part of the storefront editor. Most of its fields are optional, so the field
    template marks the required ones with a * (templates/components/field.html)."""

    mark_required_fields = True


PHONE_MESSAGES = PhoneMessages(
    unreadable="Enter a phone number, e.g. 020 7946 0958.",
    invalid="That doesn't look like a valid phone number.",
)


def _attributes(attrs: dict) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them, in their order."""
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


@functools.lru_cache(maxsize=32)
def _options_html(choices, selected: tuple) -> str:
    """The ``<option>``s; remembered, since the ~600 time zones are the same every time."""
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (option, " selected" if str(option) in selected else "", label)
            for option, label in choices
        ),
    )


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python, not one template each.

    Django renders every ``<option>`` through its own template include; for the ~600 time
    zones that was 74 ms of the editor's 220 ms (docs/PERFORMANCE.md). Same markup, same
    escaping; a select with option groups falls back to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if self.allow_multiple_selected or any(
            isinstance(label, (list, tuple)) for _value, label in choices
        ):
            return super().render(name, value, attrs, renderer)
        selected = tuple(self.format_value(value))
        try:
            options = _options_html(tuple(choices), selected)
        except TypeError:  # a choice that cannot be a cache key: write it every time
            options = _options_html.__wrapped__(choices, selected)
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            options,
        )


TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


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
        formfield_callback = _formfield
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


class OfferForm(EditorForm):
    class Meta:
        model = Offer
        formfield_callback = _formfield
        fields = [
            "title",
            "kind",
            "price_text",
            "description",
            "url",
            "is_active",
            "is_primary",
            "sort_order",
        ]
        labels = {"sort_order": "Order"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "sort_order": forms.NumberInput(attrs={"min": 0, "class": "js-order"}),
        }

    def has_changed(self):
        # A blank extra row still submits its "shown" tick box and order; it only counts
        # as a new offer once the owner types something into it.
        return any(
            name in self.changed_data
            for name in ("title", "description", "price_text", "url", "is_primary")
        ) or bool(self.instance.pk and self.changed_data)


def kept_rows(formset: forms.BaseInlineFormSet) -> list[forms.ModelForm]:
    """The valid rows that will exist after saving: saved ones not deleted, whether or not
    they changed in this submit, and filled-in new ones (blank spare rows are left out).

    Cross-row rules (one main offer, no overlapping hours, each date once) must compare
    all of these: skipping the unchanged saved rows would let a new row clash with them.
    """
    return [
        f
        for f in formset.forms
        if (f.instance.pk or f.has_changed()) and f not in formset.deleted_forms and f.is_valid()
    ]


TAMPERED_ROWS_MESSAGE = (
    "Some rows on this page no longer match what is saved (perhaps they were changed in "
    "another tab). Nothing was saved: reload the page and make your changes again."
)


def refuse_tampered_rows(formset: forms.BaseInlineFormSet) -> None:
    """Refuse a submit the editor's own page cannot produce: negative or inconsistent row
    counts, a saved row whose id is missing or not one of this storefront's, a new row that
    names an id. Raised as a formset error, so the whole editor saves nothing."""
    counts = formset.management_form.cleaned_data if formset.management_form.is_valid() else {}
    total = counts.get(forms.formsets.TOTAL_FORM_COUNT, 0)
    initial = counts.get(forms.formsets.INITIAL_FORM_COUNT, 0)
    tampered = total < 0 or initial < 0 or initial > total
    pk_name = formset.model._meta.pk.name
    for index, form in enumerate(formset.forms):
        submitted = str(form.data.get(form.add_prefix(pk_name)) or "").strip()
        expected = str(form.instance.pk) if form.instance.pk else ""
        if submitted != expected or (index < formset.initial_form_count() and not expected):
            tampered = True
    if tampered:
        raise ValidationError(TAMPERED_ROWS_MESSAGE, code="tampered")


class BaseOfferFormSet(forms.BaseInlineFormSet):
    def live_forms(self):
        """Offers that will exist after saving: kept existing ones and filled-in new ones."""
        return kept_rows(self)

    def clean(self):
        super().clean()
        refuse_tampered_rows(self)
        primaries = [f for f in self.live_forms() if f.cleaned_data.get("is_primary")]
        if len(primaries) > 1:
            for form in primaries[1:]:
                form.add_error("is_primary", "Only one offer can be the main call to action.")
        for form in primaries:
            if not form.cleaned_data.get("is_active"):
                form.add_error("is_primary", "A hidden offer can't be the main call to action.")

    def primary_form(self):
        return next((f for f in self.live_forms() if f.cleaned_data.get("is_primary")), None)

    def primary_offer_given(self) -> bool:
        return self.primary_form() is not None


OfferFormSet = forms.inlineformset_factory(
    Storefront,
    Offer,
    form=OfferForm,
    formset=BaseOfferFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    absolute_max=30,  # a forged TOTAL_FORMS builds no more rows than this
    validate_max=True,
)


class OpeningHoursForm(EditorForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {
            "weekday": QuickSelect,
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class BaseOpeningHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        refuse_tampered_rows(self)
        by_day: dict[int, list[tuple]] = {}
        for form in kept_rows(self):
            data = form.cleaned_data
            if not (data.get("opens") and data.get("closes")) or data["closes"] <= data["opens"]:
                continue
            day_ranges = by_day.setdefault(data["weekday"], [])
            candidate = (data["opens"], data["closes"])
            clash = next((r for r in day_ranges if overlapping([r, candidate])), None)
            if clash:
                form.add_error(
                    "opens",
                    f"Overlaps {form.instance.get_weekday_display()} "
                    f"{clash[0]:%H:%M}–{clash[1]:%H:%M}.",
                )
            else:
                day_ranges.append(candidate)


OpeningHoursFormSet = forms.inlineformset_factory(
    Storefront,
    OpeningHours,
    form=OpeningHoursForm,
    formset=BaseOpeningHoursFormSet,
    extra=3,
    can_delete=True,
    max_num=50,
    absolute_max=50,  # a forged TOTAL_FORMS builds no more rows than this
    validate_max=True,
)


class SpecialDateForm(EditorForm):
    class Meta:
        model = SpecialDate
        fields = ["date", "closed", "opens", "closes", "note"]
        labels = {"closed": "Closed all day"}
        help_texts = {"closed": "Or give times: then it is open at those times."}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        # The rule: a date on its own is closed all day; a date with times is open at
        # those times. "Closed" starts ticked, so typed times win over the tick rather
        # than being refused (the editor's script also unticks it as a time is typed).
        data = super().clean()
        if data.get("closed") and (data.get("opens") or data.get("closes")):
            data["closed"] = False
        return data

    def has_changed(self):
        # The "closed" box is ticked by default; a blank row counts once a date is typed.
        return any(name in self.changed_data for name in ("date", "opens", "closes", "note")) or (
            bool(self.instance.pk and self.changed_data)
        )


class BaseSpecialDateFormSet(forms.BaseInlineFormSet):
    def clean(self):
        refuse_tampered_rows(self)
        # Before Django's own uniqueness check, so the message sits on the date field.
        seen = set()
        for form in kept_rows(self):
            day = form.cleaned_data.get("date")
            if day in seen:
                form.add_error("date", "This date is already listed.")
            seen.add(day)
        super().clean()


SpecialDateFormSet = forms.inlineformset_factory(
    Storefront,
    SpecialDate,
    form=SpecialDateForm,
    formset=BaseSpecialDateFormSet,
    extra=1,
    can_delete=True,
    max_num=60,
    absolute_max=60,  # a forged TOTAL_FORMS builds no more rows than this
    validate_max=True,
)


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
        (
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
        ),
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
