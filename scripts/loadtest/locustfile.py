"""The load test's journeys (locust), run by ``scripts/load``; docs/operations.md says how to read the figures.

Three kinds of people, spread over the app servers named in ``LOAD_HOSTS``:

- doctors (most users): read their own pages, and now and then ask for support (the self-referral questions,
  check your answers, send);
- case managers: work the inbox (its pages, a request) and record attempts to reach the doctor;
- facilitators: read their cases and record sessions.

Every form sent carries the product's own submission token. A submission counts as *submitted* only when the
product answered that it was stored (the redirect to its confirmation page); its token is then written, one
JSON line, to ``LOAD_SUBMISSIONS``, and ``supportpath.testing.load.count`` afterwards finds each one in the
database. A submission that fails (a 5xx, the server unreachable during the database restart drill) is sent
again with the same token, as a person pressing the button again would, for up to ``LOAD_RETRY_SECONDS``; now
and then one that succeeded is sent a second time on purpose (a double click), which must not store it twice.

Staff sign in with a second factor: the demo's published authenticator key (``supportpath.demo.two_step``, for
the fictional demo only). A code works once per person, so each staff account signs in once and the
simulated users playing that person share its session.
"""

import base64
import copy
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"], encoding="utf-8").read())  # noqa: SIM115
HOSTS = os.environ.get("LOAD_HOSTS", "http://127.0.0.1:8105,http://127.0.0.1:8106").split(",")
SUBMISSIONS = os.environ["LOAD_SUBMISSIONS"]
RETRY_SECONDS = float(os.environ.get("LOAD_RETRY_SECONDS", "120"))
DOUBLE_SEND_CHANCE = 0.05
UK = ZoneInfo("Europe/London")

_doctor_numbers = itertools.count()
_staff_numbers = itertools.count()
_sign_in_locks: dict[str, Semaphore] = {}
_staff_cookies: dict[str, dict] = {}


# Response times of the journeys' pages and forms, without signing in (once per simulated person, at the start,
# and slow on purpose: Argon2), written out at the end for the run's headline percentiles.
_page_times: list[float] = []


@events.request.add_listener
def _time_page(name: str, response_time: float, exception, **kwargs) -> None:
    if not name.startswith("sign in"):
        _page_times.append(response_time)


@events.quitting.add_listener
def _write_page_times(environment, **kwargs) -> None:
    path = os.environ.get("LOAD_PAGE_TIMES")
    if not path or not _page_times:
        return
    times = sorted(_page_times)

    def percentile(p: float) -> float:
        return round(times[min(len(times) - 1, int(p / 100 * len(times)))], 1)

    with open(path, "w", encoding="utf-8") as out:
        json.dump(
            {"requests": len(times), "p50_ms": percentile(50), "p95_ms": percentile(95), "p99_ms": percentile(99)}, out
        )


def totp(key_b32: str, at: float | None = None) -> str:
    """RFC 6238, as django-otp checks it: HMAC-SHA1, 30-second steps, 6 digits."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(key_b32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def today() -> str:
    return datetime.now(UK).strftime("%d/%m/%Y")


def record(kind: str, token: str) -> None:
    with open(SUBMISSIONS, "a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": kind, "token": token}) + "\n")


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


class Person(HttpUser):
    abstract = True
    wait_time = between(3, 9)
    host = HOSTS[0]

    def on_start(self) -> None:
        self.base = random.choice(HOSTS)  # noqa: S311 - spreading load, not security

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str, name: str):
        return self.client.get(self.url(path), name=name)

    def csrf(self) -> str:
        return next((c.value for c in self.client.cookies if c.name == "csrftoken"), "")

    def post(self, path: str, data: dict, name: str, **kwargs):
        headers = {"X-CSRFToken": self.csrf(), "Referer": self.url(path)}
        return self.client.post(self.url(path), data=data, headers=headers, name=name, **kwargs)

    def sign_in(self, email: str, *, second_factor: bool) -> None:
        """Sign in, trying again (as a person would) while the service answers with an error."""
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                return self._sign_in(email, second_factor=second_factor)
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                self.client.cookies.clear()
                gevent.sleep(2)

    def _sign_in(self, email: str, *, second_factor: bool) -> None:
        self.get("/account/sign-in/", "sign in")
        response = self.post(
            "/account/sign-in/", {"email": email, "password": PEOPLE["password"]}, "sign in", allow_redirects=True
        )
        if second_factor:
            if "/two-step/code/" not in response.url:
                raise RuntimeError(f"{email}: no second-factor step after the password ({response.url})")
            for _ in range(2):
                response = self.post(
                    "/account/two-step/code/", {"code": totp(PEOPLE["authenticator_key"])}, "sign in: code"
                )
                if "/two-step/" not in response.url:
                    break
                # That code was used already (a code works once): wait for the next one, as a person would.
                gevent.sleep(31 - time.time() % 30)
        if "/sign-in/" in response.url or "/two-step/" in response.url:
            raise RuntimeError(f"{email} could not sign in ({response.status_code} at {response.url})")

    def sign_in_shared(self, email: str) -> None:
        """Staff: one sign-in per person (a code works once), its session shared by the users playing them."""
        lock = _sign_in_locks.setdefault(email, Semaphore())
        with lock:
            if email not in _staff_cookies:
                self.sign_in(email, second_factor=True)
                _staff_cookies[email] = [copy.copy(cookie) for cookie in self.client.cookies]
                return
        self.client.cookies.clear()
        for cookie in _staff_cookies[email]:
            self.client.cookies.set_cookie(copy.copy(cookie))

    def submit(
        self, path: str, data: dict, *, kind: str, token: str, name: str, done: str, confirm: str = ""
    ) -> str | None:
        """Send a form until the product says it is stored (a redirect whose address contains ``done`` and,
        when ``confirm`` is given, whose page says so: a refusal can redirect to the same page with a message),
        then record its token. Returns where it led, or None when the product refused it (a page of errors, or
        a message saying why) or the retries ran out."""
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            with self.client.post(
                self.url(path),
                data=data,
                headers={"X-CSRFToken": self.csrf(), "Referer": self.url(path)},
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                location = response.headers.get("Location", "")
                if response.status_code in (302, 303) and done in location:
                    response.success()
                    if confirm and confirm not in self.client.get(self.url(location), name=name + ": result").text:
                        return None  # refused, with a message saying why (someone else has just changed it)
                    record(kind, token)
                    if random.random() < DOUBLE_SEND_CHANCE:  # noqa: S311 - a double click, now and then
                        self.client.post(
                            self.url(path),
                            data=data,
                            headers={"X-CSRFToken": self.csrf(), "Referer": self.url(path)},
                            name=name + " (sent twice)",
                            allow_redirects=False,
                        )
                        record(kind, token)
                    return location
                if response.status_code == 200:
                    response.success()  # the product refused it with a message: nothing was stored
                    return None
                response.failure(f"{response.status_code} {location}")
            if time.monotonic() > deadline:
                return None
            gevent.sleep(2)


class Doctor(Person):
    weight = 6

    def on_start(self) -> None:
        super().on_start()
        doctors = PEOPLE["doctors"]
        self.email = doctors[next(_doctor_numbers) % len(doctors)]
        self.sign_in(self.email, second_factor=False)

    @task(3)
    def read_my_pages(self) -> None:
        page = self.get("/my-support/", "doctor: my support")
        cases = re.findall(r'href="(/my-support/case/\d+/)"', page.text)
        if cases:
            self.get(random.choice(cases), "doctor: my case")  # noqa: S311
        self.get("/account/", "doctor: your account")

    @task(1)
    def ask_for_support(self) -> None:
        self.get("/ask-for-support/", "doctor: ask for support")
        marker = uuid.uuid4().hex[:12]
        answers = {
            "reasons": {"reasons": "career"},
            "account": {"account": f"Load test {marker}: finding the rota hard and would like to talk it over."},
            "contact": {"contact_method": "email"},
            "employer": {"employer_may_be_told": "no"},
            "urgency": {"urgent": "no"},
        }
        step = "reasons"
        for _ in range(8):
            path = f"/ask-for-support/{step}/"
            if step == "service":
                page = self.get(path, "doctor: ask for support: service")
                choice = re.search(r'name="service"[^>]*value="(\d+)"', page.text)
                answers["service"] = {"service": choice.group(1) if choice else ""}
            response = self.post(path, answers[step], f"doctor: ask for support: {step}", allow_redirects=False)
            location = response.headers.get("Location", "")
            if response.status_code not in (302, 303):
                response.failure(f"question {step} answered {response.status_code}")
                return
            found = re.search(r"/ask-for-support/([a-z-]+)/$", location)
            if not found or found.group(1) == "check-your-answers":
                break
            step = found.group(1)
        page = self.get("/ask-for-support/check-your-answers/", "doctor: check your answers")
        token = hidden(page.text, "token")
        if not token:
            return
        self.submit(
            "/ask-for-support/check-your-answers/",
            {"token": token},
            kind="self_referral",
            token=token,
            name="doctor: send request",
            done="/ask-for-support/sent/",
        )


class CaseManager(Person):
    weight = 2

    def on_start(self) -> None:
        super().on_start()
        managers = PEOPLE["case_managers"]
        self.email = managers[next(_staff_numbers) % len(managers)]
        self.sign_in_shared(self.email)

    def inbox_references(self) -> list[str]:
        page = self.get("/cases/", "case manager: inbox")
        self.inbox_has_more = "page=2" in page.text
        return sorted(set(re.findall(r'href="/cases/requests/([^/"]+)/"', page.text)))

    @task(3)
    def work_the_inbox(self) -> None:
        references = self.inbox_references()
        if self.inbox_has_more:
            self.get("/cases/?page=2", "case manager: inbox page 2")
        if references:
            self.get(f"/cases/requests/{random.choice(references)}/", "case manager: request")  # noqa: S311
        self.get("/cases/accepted/", "case manager: accepted cases")

    @task(1)
    def record_an_attempt(self) -> None:
        references = self.inbox_references()
        if not references:
            return
        reference = random.choice(references)  # noqa: S311
        path = f"/cases/requests/{reference}/"
        self.get(path, "case manager: request")
        token = str(uuid.uuid4())
        self.submit(
            path,
            {
                "action": "contact_attempt",
                "made_on": today(),
                "attempt_method": "phone",
                "outcome": "no_answer",
                "token": token,
            },
            kind="contact_attempt",
            token=token,
            name="case manager: record an attempt",
            done=path,
            confirm="The attempt to make contact is recorded.",
        )


class Facilitator(Person):
    weight = 2

    def on_start(self) -> None:
        super().on_start()
        facilitators = sorted(PEOPLE["facilitators"])
        self.email = facilitators[next(_staff_numbers) % len(facilitators)]
        self.cases = list(PEOPLE["facilitators"][self.email])
        self.sign_in_shared(self.email)

    @task(2)
    def read_my_cases(self) -> None:
        self.get("/facilitation/offered/", "facilitator: my cases")
        if self.cases:
            self.get(f"/support/cases/{random.choice(self.cases)}/", "facilitator: case")  # noqa: S311

    @task(1)
    def record_a_session(self) -> None:
        if not self.cases:
            return
        case = random.choice(self.cases)  # noqa: S311
        path = f"/support/cases/{case}/sessions/new/"
        page = self.get(path, "facilitator: record a session (form)")
        token = hidden(page.text, "submission_token")
        if not token:
            return
        stored = self.submit(
            path,
            {
                "held_on": today(),
                "mode": "video",
                "attendance": "attended",
                "shared_summary": "We talked about the rota and agreed a first step.",
                "agreed_actions": "Ask the rota coordinator for a meeting.",
                "private_notes": f"Load test {token[:8]}.",
                "submission_token": token,
            },
            kind="session",
            token=token,
            name="facilitator: record a session",
            done=f"/support/cases/{case}/",
        )
        if stored is None and case in self.cases:
            self.cases.remove(case)  # refused (a session cannot be dated today in this case): try others
