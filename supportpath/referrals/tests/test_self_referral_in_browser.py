"""A doctor with no account asks for support from the start page: the questions first, the account last.

The journey is counted (pages) and timed as a person would take it: the words of each page up to its main
button read at 250 words a minute, each character typed at 40 words a minute, two seconds for each choice or
button, a second for each page to load and half a minute to open the email. It must stay under 5 minutes
(issue 16). The time this machine's browser took is printed too."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from supportpath.referrals.models import SupportRequest
from supportpath.testing.browser import NEW_ACCOUNT_PASSWORD, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READING_WORDS_PER_SECOND = 250 / 60
TYPING_CHARACTERS_PER_SECOND = 40 * 5 / 60
SECONDS_PER_ACTION = 2
SECONDS_PER_PAGE_LOAD = 1
FIVE_MINUTES = 5 * 60
# What a person reads before they act: the main content's text up to its first button (what follows it, such
# as the start page's "what support can help with", is there for those who want it).
WORDS_BEFORE_THE_MAIN_BUTTON = """() => {
  const main = document.querySelector("main");
  const button = main.querySelector("button, .nhsuk-button");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let text = "";
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (button && (button.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    // Hidden text, a closed "details" (read only by those who open it) and a select's options are not read.
    if (node.parentElement.closest(".nhsuk-u-visually-hidden, select, details:not([open]) > :not(summary)")) continue;
    text += " " + node.textContent;
  }
  return text;
}"""


class Journey:
    """Counts the pages a person sees and the time they would take on them."""

    def __init__(self, page, check):
        self.page, self.check = page, check
        self.pages, self.seconds, self.words = 0, 0.0, []

    def arrive(self, heading: str) -> None:
        expect(self.page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
        self.check(self.page)
        self.pages += 1
        words = len(self.page.evaluate(WORDS_BEFORE_THE_MAIN_BUTTON).split())
        self.seconds += words / READING_WORDS_PER_SECOND + SECONDS_PER_PAGE_LOAD
        self.words.append((heading, words))

    def type(self, locator, text: str) -> None:
        locator.fill(text)
        self.seconds += len(text) / TYPING_CHARACTERS_PER_SECOND

    def choose(self, locator) -> None:
        locator.check()
        self.seconds += SECONDS_PER_ACTION

    def press(self, name: str, role: str = "button") -> None:
        self.page.get_by_role(role, name=name).first.click()
        self.seconds += SECONDS_PER_ACTION


def _ask_for_support(page, base_url, world, *, gmc: str, email: str, check) -> Journey:
    began = time.monotonic()
    body = page.locator("body")
    journey = Journey(page, check)
    page.goto(base_url + "/")
    journey.arrive("Professional support for doctors")
    journey.press("Ask for support")

    journey.arrive("What would you like help with?")
    page.get_by_role("button", name="Continue").click()  # nothing chosen: an error
    expect(body).to_contain_text("Select at least one thing you would like help with")
    check(page)
    journey.choose(page.get_by_label("Exams"))
    journey.choose(page.get_by_label("Assertiveness and confidence"))
    journey.press("Continue")

    journey.arrive("In your own words, what is happening?")
    journey.type(
        page.get_by_label("In your own words, what is happening?"), "I have failed my exam twice and feel stuck."
    )
    journey.press("Continue")

    journey.arrive("How should we contact you?")
    journey.choose(page.get_by_label("Email", exact=True))
    journey.press("Continue")

    journey.arrive("May we tell your employer that you have asked for support?")
    journey.press("Continue")  # the default answer is no

    journey.arrive("Is there anything that makes this urgent?")
    journey.choose(page.get_by_label("No", exact=True))
    journey.press("Continue")

    journey.arrive("Create an account to send your request")
    journey.type(page.get_by_label("Your full name"), "Dr Iris Newcomer")
    journey.type(page.get_by_label("Email address"), email)
    journey.type(page.get_by_label("GMC reference number"), gmc)
    journey.choose(page.get_by_label("Specialty or GP trainee", exact=True))
    journey.choose(page.get_by_role("group", name="Do you work as a locum?").get_by_label("No", exact=True))
    journey.choose(page.get_by_label("Elsewhere (international medical graduate)"))
    page.get_by_label("Where do you work?").select_option(label=world.trust.name)
    journey.seconds += SECONDS_PER_ACTION
    journey.press("Continue")

    journey.arrive("Check your email to send your request")
    expect(body).to_contain_text("Your request has not been sent yet")
    assert not SupportRequest.objects.filter(doctor__user__email=email).exists()
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    link = re.search(r"\S+/account/create/finish/\S+", message.body).group(0)
    journey.seconds += 30  # opening the email and its link
    page.goto(base_url + "/" + link.split("://", 1)[1].split("/", 1)[1])

    journey.arrive("Choose your password")
    journey.type(page.get_by_label("Create a password"), NEW_ACCOUNT_PASSWORD)
    journey.press("Create account")

    journey.arrive("Check your answers before sending")
    expect(body).to_contain_text("Your request has not been sent yet: check your answers")
    expect(body).to_contain_text("I have failed my exam twice and feel stuck.")
    journey.press("Send request")

    journey.arrive("Request sent")
    support_request = SupportRequest.objects.get(doctor__user__email=email)
    expect(body).to_contain_text(support_request.reference)
    journey.wall_clock = time.monotonic() - began

    page.get_by_role("link", name="My support").last.click()
    check(page)
    expect(body).to_contain_text(support_request.reference)
    expect(body).to_contain_text("What happens next")
    return journey


def test_a_doctor_asks_for_support_from_the_start_page_in_under_five_minutes(page, live_server, world):
    journey = _ask_for_support(
        page, live_server.url, world, gmc="7654321", email="iris@example.test", check=assert_accessible
    )
    print(f"\nAsking for support with a new account: {journey.pages} pages, {journey.seconds:.0f} seconds for a person")
    print(f"(the browser here took {journey.wall_clock:.0f} seconds); words read per page: {journey.words}")
    assert journey.pages == 11
    assert journey.seconds < FIVE_MINUTES


def test_the_same_journey_works_without_javascript(page_without_js, live_server, world):
    journey = _ask_for_support(
        page_without_js, live_server.url, world, gmc="7654322", email="iris2@example.test", check=lambda page: None
    )
    assert journey.seconds < FIVE_MINUTES
