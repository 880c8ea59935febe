"""Browser fixtures: Playwright driving Debian's chromium (never a downloaded browser), and axe-core.

Every browser test is marked ``browser`` and should call ``assert_accessible(page)`` on each page it visits.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from .factories import PASSWORD

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What a new doctor chooses in ``create_account`` (long, and all lower case: no composition rules).
NEW_ACCOUNT_PASSWORD = "a long and memorable passphrase"
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's chromium is not installed: run `apt-get install chromium` (scripts/test does this).")
    return path


@pytest.fixture(scope="session")
def _playwright():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
    # still synchronous and safe, so tell Django not to refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (a busy 2-core machine can take a few seconds per page).
    expect.set_options(timeout=30_000)

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    # Compile the page templates once, up front, so no test's first page pays for it.
    from django.template import engines

    engines["jinja2"].get_template("layout.jinja")
    browser = _playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_page(browser, *, javascript: bool):
    # bypass_csp lets the test inject axe-core; the pages' own CSP is asserted by HTTP tests.
    context = browser.new_context(
        java_script_enabled=javascript, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    # Generous: the first page a test process renders compiles every template, which is slow on a busy machine.
    context.set_default_timeout(30_000)
    # Nothing outside this machine is reachable; refuse such requests at once (e.g. the NHS web fonts the
    # CSS names, which fall back to Arial) rather than waiting on them.
    context.route(_is_external, lambda route: route.abort())
    return context, context.new_page()


def _is_external(url: str) -> bool:
    host = url.split("/")[2] if "://" in url else ""
    hostname = host.split(":")[0]
    return hostname not in {"localhost", "127.0.0.1", "[::1]"}


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def another_page(browser):
    """Make further pages, each its own browser context (its own cookies), for tests where several people
    take turns: ``staff_page = another_page()``. All are closed at the end of the test."""
    contexts = []

    def make(*, javascript: bool = True):
        context, new_page = _new_page(browser, javascript=javascript)
        contexts.append(context)
        return new_page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_without_js(browser):
    context, page = _new_page(browser, javascript=False)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.0–2.2 A and AA rules, and the best-practice rule "region") on the current page and
    fail on any violation."""
    # A click that navigates returns once the new page starts arriving; checking a half-parsed page finds
    # inputs whose labels have not arrived yet. Wait for the whole page first.
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    # Also axe's best-practice "region": everything on the page sits in a landmark (header, navigation, main,
    # aside, footer), so that a screen reader's landmark list reaches all of it.
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules: {region: {enabled: true}}})",
        WCAG_22_AA_TAGS,
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"axe found problems on {page.url}:\n{json.dumps(violations, indent=2)}"


def sign_in(page, base_url: str, user) -> None:
    """Sign in as a person would: password, then (for staff, or a doctor who turned it on) the code their
    authenticator app shows now. Staff who have no app yet are given one first, as if set up earlier."""
    from supportpath.accounts import second_factor

    from .auth import authenticator_for, current_code

    device = authenticator_for(user) if second_factor.must_verify(user) else None
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url("**/account/two-step/code/**")
        page.get_by_label("Security code").fill(current_code(device))
        page.get_by_role("button", name="Continue").click()


def create_account(
    page,
    base_url: str,
    *,
    full_name: str,
    email: str,
    gmc_number: str,
    employer: str,
    password: str = NEW_ACCOUNT_PASSWORD,
    career_stage: str = "Specialty or GP trainee",
    locum: str = "No",
    qualification: str = "Elsewhere (international medical graduate)",
) -> None:
    """Create a doctor's account as a person would, from the open "Create an account" page: the form, then the
    link in the email, then the password. Afterwards the browser is wherever the form's ``next`` led."""
    from django.core import mail
    from playwright.sync_api import expect

    page.get_by_label("Your full name").fill(full_name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("GMC reference number").fill(gmc_number)
    page.get_by_role("group", name="Your career stage").get_by_label(career_stage, exact=True).check()
    page.get_by_role("group", name="Do you work as a locum?").get_by_label(locum, exact=True).check()
    page.get_by_label(qualification).check()
    page.get_by_label("Where do you work?").select_option(label=employer)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Check your email to"))).to_be_visible()
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    link = re.search(r"\S+/account/create/finish/\S+", message.body).group(0)
    page.goto(base_url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_label("Create a password").fill(password)
    page.get_by_role("button", name="Create account").click()
