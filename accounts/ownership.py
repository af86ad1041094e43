"""The one way owner views reach owner-scoped data.

Every owner view gets the current owner's profile from ``owner_profile`` and
filters querysets with ``owned``; ids from the request are only ever looked up
inside the owner's own rows, so another owner's object is a 404.
"""

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Profile


def owner_profile(request: HttpRequest) -> Profile:
    """The logged-in owner's profile (404 for anyone without one)."""
    user = request.user
    if not user.is_authenticated:
        raise Http404("Not an owner.")
    try:
        return user.profile
    except Profile.DoesNotExist as exc:
        raise Http404("No business profile.") from exc


def owned(queryset: QuerySet, request: HttpRequest, *, field: str = "profile") -> QuerySet:
    """``queryset`` narrowed to rows owned by the request's owner."""
    return queryset.filter(**{field: owner_profile(request)})


def get_owned_or_404(
    queryset: QuerySet, request: HttpRequest, *, field: str = "profile", **lookup
) -> Model:
    """One owned object, or 404 whether it does not exist or belongs to someone else."""
    return get_object_or_404(owned(queryset, request, field=field), **lookup)
