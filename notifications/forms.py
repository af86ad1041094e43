from django import forms

from .models import EmailPreferences


class EmailPreferencesForm(forms.ModelForm):
    """ "E-mail me about…": the optional e-mails. Billing and access e-mails always go."""

    class Meta:
        model = EmailPreferences
        fields = ["product_tips", "storefront_news"]
