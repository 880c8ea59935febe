from django.http import HttpRequest
from django.templatetags.static import static


def page(request: HttpRequest) -> dict:
    """Values the NHS.UK page template reads on every page."""
    return {
        "cspNonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
        "assetPath": static("vendor/nhsuk/assets"),
    }
