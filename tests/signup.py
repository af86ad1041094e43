"""Signing up through the real form, as a new owner does (allauth's sign-up view)."""

SIGNUP = "/accounts/signup/"
SIGNUP_PASSWORD = "a-Long-unusual-pass-42"


def sign_up(client, email="new@example.com", business_name="Mint & Co.", **extra):
    """Posts the sign-up form filled in with ``email``, ``business_name`` and a good password
    (``extra`` adds or replaces fields); returns the response."""
    data = {
        "email": email,
        "business_name": business_name,
        "password1": SIGNUP_PASSWORD,
        "password2": SIGNUP_PASSWORD,
        **extra,
    }
    return client.post(SIGNUP, data)
