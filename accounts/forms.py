"""Account forms: sign-up with a business name, the business profile, account deletion."""

from django import forms

from allauth.account.forms import SignupForm as AllauthSignupForm

from .images import OwnerImageField
from .models import Profile
from .phones import phone_normalise

BUSINESS_NAME_HELP = "As customers know you, e.g. “Mint & Co. Hair Studio”."


def _clean_business_name(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise forms.ValidationError("Enter your business name.", code="required")
    return value


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail and password) plus the business name; nothing else."""

    business_name = forms.CharField(
        label="Business name",
        max_length=120,
        help_text=BUSINESS_NAME_HELP,
        error_messages={"required": "Enter your business name."},
    )

    field_order = ["email", "business_name", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_name"].widget.attrs.setdefault("autocomplete", "organization")
        self.order_fields(self.field_order)

    def clean_business_name(self):
        return _clean_business_name(self.cleaned_data.get("business_name"))


class ProfileCreateForm(forms.ModelForm):
    """For a signed-in user without a profile (e.g. one made by ``createsuperuser``)."""

    class Meta:
        model = Profile
        fields = ["business_name"]
        help_texts = {"business_name": BUSINESS_NAME_HELP}
        error_messages = {"business_name": {"required": "Enter your business name."}}

    def clean_business_name(self):
        return _clean_business_name(self.cleaned_data.get("business_name"))


class ProfileForm(forms.ModelForm):
    logo_upload = OwnerImageField(label="Logo", required=False)
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)

    class Meta:
        model = Profile
        fields = ["business_name", "contact_email", "phone"]
        labels = {"contact_email": "Contact e-mail", "phone": "Phone"}
        help_texts = {
            "business_name": BUSINESS_NAME_HELP,
            "phone": "UK numbers as you'd dial them; others with the country code (+33 …).",
        }
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}
        error_messages = {"business_name": {"required": "Enter your business name."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance and self.instance.logo_id):
            del self.fields["remove_logo"]

    def clean_business_name(self):
        return _clean_business_name(self.cleaned_data.get("business_name"))

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo_upload") and cleaned.get("remove_logo"):
            self.add_error(
                "remove_logo", "Either upload a new logo or remove the current one, not both."
            )
        return cleaned


class AccountDeleteForm(forms.Form):
    """Confirm deletion with the account's password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That isn't your password.", code="wrong_password")
        return password
