"""Bootstrap styling for form widgets, used by the one field template
(``templates/components/field.html``) that renders every field on the site."""

from django import forms, template

register = template.Library()


def bootstrap_class(widget: forms.Widget) -> str:
    """Bootstrap's class for a widget (or for each option of a radio / tick-box group)."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    if getattr(widget, "input_type", "") == "color":
        return "form-control form-control-color"
    return "form-control"


def _classes(bound_field) -> str:
    widget = bound_field.field.widget
    classes = [bootstrap_class(widget), widget.attrs.get("class")]
    if bound_field.errors:
        classes.append("is-invalid")
    return " ".join(c for c in classes if c)


@register.filter
def is_checkbox(bound_field) -> bool:
    """A single tick box (any CheckboxInput, whatever its class is called)."""
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.simple_tag
def bootstrap_widget(bound_field):
    """The field's widget with Bootstrap's classes (and ``is-invalid`` when it has errors).

    Django adds ``aria-invalid`` and ``aria-describedby`` (``<id>_helptext``, ``<id>_error``).
    """
    return bound_field.as_widget(attrs={"class": _classes(bound_field)})


@register.simple_tag
def bootstrap_option(bound_field, option):
    """One radio / tick box of a group, with Bootstrap's classes. (Django would put the
    class on the group's container too, so each option is rendered on its own.)"""
    option.data["attrs"] = {**option.data["attrs"], "class": _classes(bound_field)}
    return option.tag(wrap_label=False)


@register.simple_tag
def hub_trial_days() -> int:
    """``settings.HUB_TRIAL_DAYS`` for page copy ("14 days of MintKit Studio")."""
    from django.conf import settings

    return settings.HUB_TRIAL_DAYS
