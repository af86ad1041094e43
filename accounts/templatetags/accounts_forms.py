"""Bootstrap rendering for form fields, shared by our forms and allauth's pages."""

from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_radio(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.simple_tag
def bootstrap_widget(bound_field, css_class=""):
    """The field's widget with Bootstrap's classes (and ``is-invalid`` when it has errors).

    Django adds ``aria-invalid`` and ``aria-describedby`` (``<id>_helptext``, ``<id>_error``).
    """
    widget = bound_field.field.widget
    if not css_class:
        if isinstance(widget, forms.CheckboxInput):
            css_class = "form-check-input"
        elif isinstance(widget, forms.Select):
            css_class = "form-select"
        else:
            css_class = "form-control"
    classes = [widget.attrs.get("class", ""), css_class]
    if bound_field.errors:
        classes.append("is-invalid")
    return bound_field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


@register.simple_tag
def hub_trial_days() -> int:
    """``settings.HUB_TRIAL_DAYS`` for page copy ("14 days of MintKit Studio")."""
    from django.conf import settings

    return settings.HUB_TRIAL_DAYS
