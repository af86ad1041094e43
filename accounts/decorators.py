"""View decorators shared by every app's owner pages."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required

from allauth.account.decorators import verified_email_required


def owner_login_required(view):
    """Log-in required; in production (mandatory verification) a verified e-mail too."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory":
            return verified_email_required(view)(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapped
