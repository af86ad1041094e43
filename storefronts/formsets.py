"""The storefront editor's rows: offers, weekly opening hours and special dates, each an
inline formset of the storefront whose cross-row rules (one main offer, no overlapping hours,
each date once) and tamper checks run before anything is saved."""

from django import forms
from django.core.exceptions import ValidationError

from .editor_base import EditorForm, QuickSelect, editor_formfield
from .hours import overlapping
from .models import Offer, OpeningHours, SpecialDate, Storefront


def editor_formset(model, *, form, formset, extra: int, max_num: int):
    """An inline formset of the storefront's ``model`` rows; a forged TOTAL_FORMS builds no
    more than ``max_num`` rows (``absolute_max``), and more are refused (``validate_max``)."""
    return forms.inlineformset_factory(
        Storefront,
        model,
        form=form,
        formset=formset,
        extra=extra,
        can_delete=True,
        max_num=max_num,
        absolute_max=max_num,
        validate_max=True,
    )


class OfferForm(EditorForm):
    class Meta:
        model = Offer
        formfield_callback = editor_formfield
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


OfferFormSet = editor_formset(Offer, form=OfferForm, formset=BaseOfferFormSet, extra=2, max_num=30)


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


OpeningHoursFormSet = editor_formset(
    OpeningHours, form=OpeningHoursForm, formset=BaseOpeningHoursFormSet, extra=3, max_num=50
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


SpecialDateFormSet = editor_formset(
    SpecialDate, form=SpecialDateForm, formset=BaseSpecialDateFormSet, extra=1, max_num=60
)
