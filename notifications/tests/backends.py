"""E-mail backends for tests of failed sends."""

from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """Every send fails, as an SMTP server that refuses the connection would."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
