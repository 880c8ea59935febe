"""Views reach a doctor's request, case or profile only through the scoped accessors (``*/access.py``), which
refuse with 404 and log the read. This reads the source of every module that holds a routed view and fails on
any direct ``Model.objects`` use of those models, so a bypass cannot ship unnoticed.

Records hanging off a request or case (comments, conversations, sessions) may be filtered by the request or
case a view already reached through an accessor; only the three records an accessor guards are checked.
"""

import ast
import importlib
import inspect
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from supportpath.accounts.models import DoctorProfile
from supportpath.casework.models import Case
from supportpath.referrals.models import SupportRequest

GUARDED = (SupportRequest, Case, DoctorProfile)
ROOT = Path(__file__).resolve().parents[3]


def _view_modules(patterns=None) -> set[str]:
    modules = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            modules |= _view_modules(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.startswith("supportpath."):
                modules.add(module)
    return modules


def direct_uses(module_name: str) -> list[str]:
    """Every ``<guarded model>.objects`` (or ``._default_manager``) in the module's source, by line."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    guarded_names = {model.__name__ for model in GUARDED}
    # Names the module binds to a guarded model, whatever it calls them (``from x import Case as C``).
    guarded_names |= {name for name, value in vars(module).items() if value in GUARDED}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager", "_base_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in guarded_names
        ):
            found.append(f"{module_name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_the_check_finds_every_module_with_a_routed_view():
    modules = _view_modules()
    for expected in ("supportpath.referrals.third_party", "supportpath.casework.views", "supportpath.pathway.views"):
        assert expected in modules


def test_the_check_catches_a_bypass(tmp_path, monkeypatch):
    source = (
        "from supportpath.casework.models import Case as Dossier\n\ndef view(request):\n    Dossier.objects.get()\n"
    )
    (tmp_path / "bypass_probe.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert direct_uses("bypass_probe") == ["bypass_probe:4 Dossier.objects"]


def test_no_view_queries_a_request_case_or_doctor_directly():
    offences = [use for module in sorted(_view_modules()) for use in direct_uses(module)]
    assert not offences, "Reach these through the scoped accessors in */access.py:\n" + "\n".join(offences)
