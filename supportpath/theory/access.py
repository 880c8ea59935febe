"""Who reaches the programme theory, its report and the research export: the service's evaluators and its
service admin, for their own service only. Everyone else is refused (403); another service's CMOC or export is
not found (404), as if it did not exist."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from supportpath.accounts.models import Organisation, Role, User
from supportpath.accounts.roles import membership_for

from .models import Cmoc, ResearchExport

ROLES = (Role.EVALUATOR, Role.SERVICE_ADMIN)


def theory_service(user: User) -> tuple[Organisation, str]:
    """The service whose theory this person works on, and the role they do it in."""
    for role in ROLES:
        membership = membership_for(user, role)
        if membership is not None:
            return membership.organisation, role
    raise PermissionDenied("Only the service's evaluators and its admin reach the programme theory")


def get_cmoc_for(user: User, pk: int) -> Cmoc:
    service, _ = theory_service(user)
    cmoc = Cmoc.objects.filter(pk=pk, service=service).first()
    if cmoc is None:
        raise Http404("No such CMOC")
    return cmoc


def get_export_for(user: User, pk: int) -> ResearchExport:
    service, _ = theory_service(user)
    export = ResearchExport.objects.filter(pk=pk, service=service).defer("package").first()
    if export is None:
        raise Http404("No such export")
    return export
