"""Writes ``en_GB/LC_MESSAGES/django.po``: the hub's wording for django-allauth's pages,
messages and e-mail subjects (British English, "e-mail", "log in"/"log out", sentence case).

After editing ``OVERRIDES`` run ``python locale/make_overrides.py`` and then
``python manage.py compilemessages --locale en_GB`` (both files are committed, so a deploy
needs no gettext tools). Each key must be allauth's source string exactly; the test in
accounts/tests/test_wording.py renders the pages and fails on allauth's own wording.
"""

import re
from pathlib import Path

OVERRIDES = {
    # Form labels and links
    "Email": "E-mail",
    "Email address": "E-mail address",
    "Email (again)": "E-mail (again)",
    "Email (optional)": "E-mail (optional)",
    "Remember Me": "Remember me",
    "Forgot your password?": "Forgotten your password?",
    "Forgot Password?": "Forgotten your password?",
    "Current Password": "Current password",
    "New Password": "New password",
    "New Password (again)": "New password (again)",
    "You must type the same email each time.": "You must type the same e-mail address each time.",
    # Errors
    "The email address and/or password you specified are not correct.": (
        "The e-mail address or password you entered is not right."
    ),
    "A user is already registered with this email address.": (
        "An account already uses this e-mail address."
    ),
    "The email address is not assigned to any user account.": (
        "No account uses this e-mail address."
    ),
    "This email address is already associated with this account.": (
        "This e-mail address is already on your account."
    ),
    "You cannot remove your primary email address.": (
        "You cannot remove your main e-mail address."
    ),
    "Your primary email address must be verified.": (
        "Your main e-mail address must be confirmed first."
    ),
    "You cannot add more than %d email addresses.": "You cannot add more than %d e-mail addresses.",
    "Your account has no verified email address.": "Your account has no confirmed e-mail address.",
    # Page headings and buttons
    "Sign In": "Log in",
    "Sign Up": "Sign up",
    "Signup": "Sign up",
    "Sign Out": "Log out",
    "Are you sure you want to sign out?": "Are you sure you want to log out?",
    "Password Reset": "Reset your password",
    "Reset My Password": "Send me a reset link",
    "Forgotten your password? Enter your email address below, and we'll send you an email "
    "allowing you to reset it.": (
        "Forgotten your password? Enter your e-mail address and we'll send you an e-mail with a "
        "link to set a new one."
    ),
    "We have sent you an email. If you have not received it please check your spam folder. "
    "Otherwise contact us if you do not receive it in a few minutes.": (
        "We've sent you an e-mail. If it hasn't arrived in a few minutes, check your spam folder, "
        "then contact us."
    ),
    "Bad Token": "Link expired or already used",
    "Change Password": "Change password",
    "Email Address": "E-mail address",
    "Email Addresses": "E-mail addresses",
    "Current email": "Current e-mail address",
    "Change Email": "Change e-mail address",
    "Add Email Address": "Add an e-mail address",
    "Add Email": "Add e-mail address",
    "Re-send Verification": "Send the confirmation again",
    "Your email address is still pending verification.": (
        "Your e-mail address isn't confirmed yet."
    ),
    "The following email addresses are associated with your account:": (
        "These e-mail addresses are on your account:"
    ),
    "Do you really want to remove the selected email address?": (
        "Do you really want to remove the selected e-mail address?"
    ),
    "Use a different email address": "Use a different e-mail address",
    "Confirm Email Address": "Confirm your e-mail address",
    'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user '
    "%(user_display)s.": (
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is your e-mail address '
        "for MintKit Hub."
    ),
    'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a '
    "new email confirmation request</a>.": (
        'This confirmation link has expired or is not valid. Please <a href="%(email_url)s">ask '
        "for a new confirmation e-mail</a>."
    ),
    "Verify Your Email Address": "Confirm your e-mail address",
    "Email Verification": "E-mail confirmation",
    "Enter Email Verification Code": "Enter the code from your e-mail",
    "We have sent an email to you for verification. Follow the link provided to finalize the "
    "signup process. If you do not see the verification email in your main inbox, check your "
    "spam folder. Please contact us if you do not receive the verification email within a few "
    "minutes.": (
        "We've sent you an e-mail to confirm your address. Follow its link to finish signing up. "
        "If it isn't in your inbox, check your spam folder, and contact us if it hasn't arrived "
        "within a few minutes."
    ),
    "Please reauthenticate to safeguard your account.": (
        "Please enter your password again to keep your account safe."
    ),
    # Messages
    "You have signed out.": "You have logged out.",
    "Confirmation email sent to %(email)s.": "Confirmation e-mail sent to %(email)s.",
    "Removed email address %(email)s.": "Removed e-mail address %(email)s.",
    "Primary email address set.": "Main e-mail address set.",
    "You cannot remove your primary email address (%(email)s).": (
        "You cannot remove your main e-mail address (%(email)s)."
    ),
    "Your email has been confirmed.": "Your e-mail address has been confirmed.",
    # E-mail subjects
    "Please Confirm Your Email Address": "Please confirm your e-mail address",
    "Password Reset Email": "Reset your MintKit Hub password",
    "Email Changed": "E-mail address changed",
    "Email Removed": "E-mail address removed",
    "Email Confirmation": "E-mail confirmation",
}

HEADER = """\
# The hub's wording for django-allauth (generated by locale/make_overrides.py: edit that).
msgid ""
msgstr ""
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Language: en_GB\\n"
"""


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def main() -> None:
    entries = [HEADER]
    for msgid, msgstr in OVERRIDES.items():
        # msgfmt checks that a python-format msgstr keeps every placeholder; one that drops
        # some on purpose (Python ignores unused named ones) is marked no-python-format.
        keeps_all = set(re.findall(r"%\(\w+\)s", msgid)) <= set(re.findall(r"%\(\w+\)s", msgstr))
        flag = (
            ""
            if "%" not in msgid
            else "#, python-format\n"
            if keeps_all
            else "#, no-python-format\n"
        )
        entries.append(f"{flag}msgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n")
    target = Path(__file__).parent / "en_GB" / "LC_MESSAGES" / "django.po"
    target.write_text("\n".join(entries), encoding="utf-8")


if __name__ == "__main__":
    main()
