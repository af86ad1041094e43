"""Signing a browser in without the log-in page (which has its own tests)."""

from django.conf import settings
from django.test import Client


def log_in(context, live_server, user) -> None:
    """Give a browser context (``page.context``) a session for ``user`` on the live server."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
