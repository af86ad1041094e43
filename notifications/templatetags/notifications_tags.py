from django import template

from ..forms import EmailPreferencesForm
from ..models import EmailPreferences

register = template.Library()


@register.inclusion_tag("notifications/includes/preferences_form.html")
def email_preferences_form(profile):
    """The "E-mail me about…" form for a profile page (posts to its own view)."""
    prefs = EmailPreferences.objects.filter(profile=profile).first() or EmailPreferences()
    return {"form": EmailPreferencesForm(instance=prefs)}
