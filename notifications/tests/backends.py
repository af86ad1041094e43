"""E-mail backends for tests of failed sends."""

from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """Every send fails, as an SMTP server that refuses the connection would."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


class FailOnceFileBackend(BaseEmailBackend):
    """Django's file backend, except that while a ``fail-next`` file sits beside the e-mails
    the next send fails (and removes it): a mail server down for one attempt."""

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.filebased import EmailBackend

        super().__init__(*args, **kwargs)
        self.files = EmailBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        from pathlib import Path

        marker = Path(self.files.file_path) / "fail-next"
        if marker.exists():
            marker.unlink()
            raise ConnectionRefusedError("SMTP server refused the connection")
        return self.files.send_messages(email_messages)
