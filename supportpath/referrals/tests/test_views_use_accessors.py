"""Code that handles a request reaches a doctor's data only through the scoped accessors (``*/access.py``), which
refuse with 404 and log the read. This reads the source of every module that handles a request — every module
holding a routed view, every form, presenter and context-processor module, and every module whose functions
are Jinja template globals — and fails on a direct ``Model.objects`` use that an accessor should have made:

- a doctor's request, case or profile (the three records the accessors hand out) is never queried directly;
- every other model with a path to a doctor (found from the models, as the erasure coverage test finds it) is
  queried only under a record already reached: a lookup in the same query that ends at a doctor's record
  (``Review.objects.filter(case=case)``, ``Response.objects.filter(request=case.request)``,
  ``GroupMember.objects.filter(doctor=request.user.doctor_profile)``). A query that picks such records by
  organisation or by nothing (``SafetyAlert.objects.filter(request__service_id__in=...)``) is an access
  decision: it belongs in the app's ``access.py``.
"""

import ast
import importlib
import inspect
import pkgutil

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.template import engines
from django.urls import URLPattern, URLResolver, get_resolver

import supportpath
from supportpath.accounts.models import DoctorProfile
from supportpath.casework.models import Case
from supportpath.referrals.models import SupportRequest
from supportpath.testing.doctor_data import doctor_data_models

GUARDED = (SupportRequest, Case, DoctorProfile)
MANAGERS = ("objects", "_default_manager", "_base_manager")
# Module names (the last part) that handle a request wherever they are.
REQUEST_MODULES = ("views", "forms", "presenters", "context_processors")


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


def request_modules() -> set[str]:
    """Every module that handles a request: routed views, forms, presenters, context processors, template globals."""
    modules = _view_modules()
    for info in pkgutil.walk_packages(supportpath.__path__, "supportpath."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        if parts[-1].startswith(REQUEST_MODULES):
            modules.add(info.name)
    for template in settings.TEMPLATES:
        for processor in template.get("OPTIONS", {}).get("context_processors", []):
            if processor.startswith("supportpath."):
                modules.add(processor.rsplit(".", 1)[0])
    for engine in engines.all():
        env = getattr(engine, "env", None)
        for value in env.globals.values() if env is not None else ():
            module = getattr(value, "__module__", None) or ""
            if module.startswith("supportpath."):
                modules.add(module)
    return modules


def _lookup_target(model: type[Model], lookup: str) -> type[Model] | None:
    """The model a keyword lookup ends at (``plan__case`` on PlanVersion: Case), or None if it ends at a value."""
    current = model
    reached = None
    for part in lookup.split("__"):
        name = part[:-3] if part.endswith("_id") else part
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            break
        if not (field.is_relation and field.related_model):
            break
        current = reached = field.related_model
    return reached


def _chain_keywords(node: ast.AST, parents: dict) -> list[str]:
    """The keyword names of every call chained on ``Model.objects`` (``.filter(a=..).exclude(b=..).get(c=..)``)."""
    keywords = []
    while node in parents:
        parent = parents[node]
        if isinstance(parent, ast.Call) and parent.func is node:
            keywords += [k.arg for k in parent.keywords if k.arg]
        elif not (isinstance(parent, ast.Attribute) and parent.value is node):
            break
        node = parent
    return keywords


def direct_uses(module_name: str, doctor_models: dict | None = None) -> list[str]:
    """Every ``Model.objects`` in the module that reaches a doctor's data around the accessors, by line."""
    doctor_models = doctor_data_models() if doctor_models is None else doctor_models
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    # Names the module binds to such a model, whatever it calls them (``from x import Case as C``).
    bound = {name: value for name, value in vars(module).items() if isinstance(value, type) and value in doctor_models}
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
        ):
            continue
        model = bound[node.value.id]
        where = f"{module_name}:{node.lineno} {node.value.id}.{node.attr}"
        if model in GUARDED:
            found.append(where)
            continue
        targets = {_lookup_target(model, keyword) for keyword in _chain_keywords(node, parents)}
        if not any(target in doctor_models for target in targets if target is not None):
            found.append(f"{where} (not under a record an accessor returned)")
    return found


def test_the_check_finds_every_module_that_handles_a_request():
    modules = request_modules()
    for expected in (
        "supportpath.referrals.third_party",  # a routed view in a module not called views
        "supportpath.casework.views",
        "supportpath.emergency_access.presenters",
        "supportpath.appointments.forms",
        "supportpath.measures.context_processors",
        "supportpath.core.forms_nhs",  # template globals
    ):
        assert expected in modules


def test_the_check_knows_the_models_that_hold_a_doctors_data():
    labels = {m._meta.label_lower for m in doctor_data_models()}
    assert {"casework.case", "pathway.initialconversation", "measures.safetyalert", "peer.groupmember"} <= labels
    assert "accounts.organisation" not in labels


def test_the_check_catches_a_bypass(tmp_path, monkeypatch):
    source = (
        "from supportpath.casework.models import Case as Dossier\n"
        "from supportpath.measures.models import SafetyAlert\n"
        "from supportpath.pathway.models import InitialConversation\n\n"
        "def view(request, case, ids):\n"
        "    Dossier.objects.get()\n"
        "    SafetyAlert.objects.filter(request__service_id__in=ids)\n"
        "    InitialConversation.objects.all()\n"
        "    InitialConversation.objects.filter(case=case).first()\n"
        "    SafetyAlert.objects.select_related('response').filter(request_id=case.request_id)\n"
    )
    (tmp_path / "bypass_probe.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert direct_uses("bypass_probe") == [
        "bypass_probe:6 Dossier.objects",
        "bypass_probe:7 SafetyAlert.objects (not under a record an accessor returned)",
        "bypass_probe:8 InitialConversation.objects (not under a record an accessor returned)",
    ]


def test_no_request_handling_code_reaches_a_doctors_data_around_the_accessors():
    doctor_models = doctor_data_models()
    offences = [use for module in sorted(request_modules()) for use in direct_uses(module, doctor_models)]
    assert not offences, "Reach these through the scoped accessors in */access.py:\n" + "\n".join(offences)
