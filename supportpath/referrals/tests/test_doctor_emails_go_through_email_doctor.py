"""Every email to a doctor goes through ``referrals.emails.email_doctor``, which takes the address and the
greeting from the doctor's account: no module types a doctor's address into ``queue_email`` itself, and only
the notifications app (which sends what was queued) and the test helpers speak to Django's mail directly.

A source lint, like ``test_views_use_accessors``: it reads every module of the product (tests aside) and fails
on a ``queue_email(to=...)`` whose address is reached through a doctor (``doctor.email``,
``request.doctor.user.email``), and on any use of ``django.core.mail`` outside the notifications app. Emails
sent to an address that is not the doctor's account (a referral's invitation to someone without an account
yet, the note that an account is now closed and gone) name their address plainly and are not caught."""

import ast
from pathlib import Path

import supportpath

ROOT = Path(supportpath.__file__).parent
EMAIL_DOCTOR = ROOT / "referrals" / "emails.py"
MAY_SEND_MAIL = (ROOT / "notifications", ROOT / "testing")
MAIL_NAMES = {"send_mail", "send_mass_mail", "EmailMessage", "EmailMultiAlternatives", "get_connection"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts or "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def test_no_module_emails_a_doctor_except_through_email_doctor():
    direct = []
    for path, tree in _modules():
        if path == EMAIL_DOCTOR:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) == "queue_email":
                to = next((k.value for k in node.keywords if k.arg == "to"), None)
                source = ast.unparse(to).lower() if to is not None else ""
                if "doctor" in source:
                    direct.append(f"{path.relative_to(ROOT)}:{node.lineno} queue_email(to={ast.unparse(to)})")
    assert direct == [], "Email a doctor with referrals.emails.email_doctor:\n" + "\n".join(direct)


def test_only_the_notifications_app_speaks_to_djangos_mail():
    direct = []
    for path, tree in _modules():
        if any(path.is_relative_to(allowed) for allowed in MAY_SEND_MAIL):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
                direct.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module} import ...")
            elif isinstance(node, ast.Import) and any(a.name.startswith("django.core.mail") for a in node.names):
                direct.append(f"{path.relative_to(ROOT)}:{node.lineno} import django.core.mail")
            elif isinstance(node, ast.Call) and _name(node.func) in MAIL_NAMES:
                direct.append(f"{path.relative_to(ROOT)}:{node.lineno} {_name(node.func)}(...)")
    assert direct == [], "Queue email with notifications.tasks.queue_email:\n" + "\n".join(direct)
