"""The "Your choices about sharing" section of "Download my data": for each request, who can see what now and
every version of the agreement."""

from supportpath.accounts.models import DoctorProfile
from supportpath.audit.data_export import register_section
from supportpath.referrals.models import SupportRequest

from . import agreement
from .choices import Audience, Item, parse_key
from .models import AgreementVersion
from .presenters import source_text


def _readable(keys: list[str]) -> list[str]:
    lines = []
    for key in keys:
        audience, item = parse_key(key)
        lines.append(f"{Audience(audience).label}: {Item(item).label}")
    return lines


def choices_about_sharing(doctor: DoctorProfile) -> list[dict]:

    requests = (
        SupportRequest.objects.filter(doctor=doctor)
        .select_related("sharing_agreement")
        .prefetch_related("sharing_agreement__grants")
        .order_by("submitted_at")
    )
    versions: dict[int, list[AgreementVersion]] = {}
    for version in AgreementVersion.objects.filter(agreement__request__doctor=doctor).order_by("number"):
        versions.setdefault(version.agreement_id, []).append(version)
    rows = []
    for request in requests:
        fixed = agreement.fixed_grants(request)
        shared = agreement.grants_for(request)
        found = agreement.agreement_of(request)
        rows.append(
            {
                "request": request.reference,
                "shared_now": [
                    {
                        "with": Audience(audience).label,
                        "what": Item(item).label,
                        "why": "Required by the formal process" if (audience, item) in fixed else "Your choice",
                    }
                    for audience in Audience
                    for item in Item
                    if (audience, item) in shared
                ],
                "versions": [
                    {
                        "version": v.number,
                        "when": v.made_at,
                        "why": source_text(v, doctor_id=doctor.user_id),
                        "added": _readable(v.added),
                        "removed": _readable(v.removed),
                        "shared_from_then_on": _readable(v.grants),
                    }
                    for v in (versions.get(found.pk, []) if found else [])
                ],
            }
        )
    return rows


def register() -> None:
    register_section("sharing", "Your choices about sharing", choices_about_sharing, order=85)
