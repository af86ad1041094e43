"""Logo and cover uploads kept across a failed editor submit.

When the editor is refused (a bad time, a taken address…) the browser forgets the files
the owner chose. So a refused submit still checks each chosen image (``OwnerImageField``)
and stores a valid one at once as an owner image, and the re-shown form carries a signed
token for it ("logo.png kept — choose another to replace"). The next valid submit uses the
kept image unless the owner chooses another.

The token is signed with the site's secret and names the image, the owner's profile, the
field and the original file name; one that is forged, altered, older than a day or made for
another owner or field is ignored. Nothing from the request is ever used as a path.
"""

from dataclasses import dataclass

from django.core import signing

from accounts.images import owner_image_delete, owner_image_save

SALT = "storefronts.pending-upload"
MAX_AGE_SECONDS = 24 * 60 * 60
FIELDS = ("logo", "cover")


@dataclass(frozen=True)
class PendingUpload:
    image: object
    name: str
    token: str


def pending_upload_token(*, image, profile, field: str, name: str) -> str:
    return signing.dumps({"i": image.pk, "p": profile.pk, "f": field, "n": name[:100]}, salt=SALT)


def pending_upload_resolve(*, token, profile, field: str) -> PendingUpload | None:
    """The kept image a token stands for, if it is this owner's for this field; else None."""
    from wagtail.images import get_image_model

    from accounts.images import owner_collection

    if not token or not isinstance(token, str) or profile is None or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != profile.pk or data.get("f") != field:
        return None
    image = (
        get_image_model().objects.filter(pk=data.get("i"), collection=owner_collection()).first()
    )
    if image is None:
        return None
    return PendingUpload(image=image, name=str(data.get("n") or "image"), token=token)


def pending_uploads_keep(*, form, profile) -> None:
    """After a refused submit: store each valid chosen image and put its token in the
    re-shown form. A kept image this one replaces is deleted."""
    cleaned = getattr(form, "cleaned_data", {})
    for field in FIELDS:
        upload = cleaned.get(f"{field}_upload")
        if not upload:
            continue
        earlier = form.pending.get(field)
        image = owner_image_save(upload=upload, title=f"Kept {field} upload")
        name = upload.name or "image"
        token = pending_upload_token(image=image, profile=profile, field=field, name=name)
        form.pending[field] = PendingUpload(image=image, name=name, token=token)
        form.data = form.data.copy()
        form.data[f"{field}_pending"] = token
        if earlier is not None and earlier.image.pk != image.pk:
            owner_image_delete(image=earlier.image)
