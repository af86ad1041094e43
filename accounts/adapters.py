"""django-allauth hooks: every new user gets their business profile in the same transaction."""

from django.db import transaction

from allauth.account.adapter import DefaultAccountAdapter

from .services import profile_create


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # No user without a profile: both rows are written, or neither.
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if commit:
                profile_create(user=user, business_name=form.cleaned_data["business_name"])
        return user
