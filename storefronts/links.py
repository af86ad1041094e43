"""Links owners type (offers, the call to action, website and social links): which may be
stored, shown and followed.

A link is a plain web address: ``http`` or ``https``, a host, no ``user:password@`` part and
no backslash. Django's own ``URLValidator`` also allows ``ftp``/``ftps`` and lets a backslash
through in the user part (``https://evil.example\\@studio.mintkit.co.uk`` is *evil.example*
to a browser, *studio.mintkit.co.uk* to ``urlsplit``), so both are refused here. The same
check runs when a link is saved (``validate_web_url``) and again before one is shown or
followed (``is_web_url``), so a link stored before the rule existed is never used.

``/storefront/<slug>/go/<id>/`` sends visitors straight on only to MintKit Studio
(``MINTKIT_STUDIO_URL``'s host); any other destination gets a "you are leaving" page that
names the host (``is_mintkit_url``, ``display_host``), see docs/SECURITY.md.
"""

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")
WEB_URL_MESSAGE = "Enter a web address that starts with https:// (or http://)."
MAX_URL_LENGTH = 200  # models.URLField's default max_length

_url_syntax = URLValidator(schemes=list(WEB_SCHEMES), message=WEB_URL_MESSAGE)


def validate_web_url(value: str) -> None:
    """Refuse anything but a plain http(s) address (see the module docstring)."""
    if not is_web_url(value):
        raise ValidationError(WEB_URL_MESSAGE, code="web_url")


def is_web_url(value) -> bool:
    """Whether ``value`` is a link we will show or follow: http(s), a host, no user part,
    no backslash, no control characters or spaces."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL_LENGTH:
        return False
    if "\\" in value or not value.isprintable() or any(c.isspace() for c in value):
        return False
    try:
        _url_syntax(value)
        parts = urlsplit(value)
    except (ValidationError, ValueError):
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname) and "@" not in parts.netloc


def is_mintkit_url(value: str) -> bool:
    """Whether a web address goes to MintKit Studio itself (same host and port)."""
    if not is_web_url(value):
        return False
    studio = urlsplit(settings.MINTKIT_STUDIO_URL)
    target = urlsplit(value)
    try:
        return bool(studio.hostname) and (target.hostname, target.port) == (
            studio.hostname,
            studio.port,
        )
    except ValueError:  # a port that is not a number
        return False


def display_host(value: str) -> str:
    """The host a link goes to, as a person should read it: internationalised names in
    their ASCII (``xn--``) form, so a look-alike letter cannot pass for a familiar name."""
    host = urlsplit(value).hostname or ""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host.encode("ascii", "backslashreplace").decode("ascii")


class WebURLFormField(forms.URLField):
    """A form field for an owner's link: Django's URL field with the http(s)-only rule."""

    default_validators = [validate_web_url]


class WebURLField(models.URLField):
    """A model field for an owner's link: http(s) only (Django's ``URLField`` also takes
    ftp, and more with ``URLValidator(schemes=…)``)."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


# --- what owners type ----------------------------------------------------------------------
# A social field's network: a bare handle ("@sunnyside" or "sunnyside") becomes this profile.
SOCIAL_PROFILE_URLS = {
    "instagram": "https://instagram.com/{handle}",
    "facebook": "https://facebook.com/{handle}",
    "tiktok": "https://www.tiktok.com/@{handle}",
}
_HANDLE = re.compile(r"@?([A-Za-z0-9_.]{1,64})")
# "scheme:" at the start: the owner named a scheme, so nothing is prepended (a
# "javascript:…" stays what it is and is refused by ``validate_web_url``).
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:(?!\d)")


def normalise_web_url(value, *, network: str | None = None) -> str:
    """What an owner typed, as the address to validate and store.

    ``instagram.com/sunnyside`` and ``www.example.co.uk`` become ``https://…``; with a
    ``network`` ("instagram", "facebook", "tiktok") a bare handle such as ``@sunnyside``
    becomes that network's profile address. Nothing here makes a link acceptable: the
    result still goes through ``validate_web_url`` (normalise first, then validate), and
    anything that names another scheme, holds a space, a backslash or a control character
    is returned as typed, to be refused.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text or "\\" in text or not text.isprintable() or any(c.isspace() for c in text):
        return text
    looks_like_handle = text.startswith("@") or not any(c in text for c in ".:/")
    if network in SOCIAL_PROFILE_URLS and looks_like_handle:
        found = _HANDLE.fullmatch(text)
        if found:
            return SOCIAL_PROFILE_URLS[network].format(handle=found.group(1))
        return text
    if text.startswith("//"):
        return "https:" + text
    if _HAS_SCHEME.match(text):
        return text
    return "https://" + text


class TypedWebURLFormField(WebURLFormField):
    """A link field that takes addresses the way people type them (see
    ``normalise_web_url``) and keeps the http(s)-only rule. The input is ``type="text"``
    with ``inputmode="url"``: a browser's own ``type="url"`` check refuses
    ``instagram.com/sunnyside`` before the form is even sent."""

    widget = forms.TextInput

    def __init__(self, *, network: str | None = None, **kwargs):
        self.network = network
        kwargs["assume_scheme"] = "https"
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "url", "autocapitalize": "none", "spellcheck": "false"}
        )

    def to_python(self, value):
        return super().to_python(normalise_web_url(value, network=self.network))
