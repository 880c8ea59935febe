"""Facts made in a test: many doctors at once, with the contexts, check-ins and outcomes a test asks for."""

import datetime as dt
import itertools

from supportpath.theory.facts import Answered, Fact

_ids = itertools.count(1_000_000)


def fact(*, context=None, checkin=None, completed=None, gas_t=None, doctor_id=None, answered=(), **outcomes) -> Fact:
    day = dt.date(2026, 3, 14)
    answers = list(answered)
    if checkin:
        answers.append(Answered("check-in", "review", day, dict(checkin.items())))
    return Fact(
        doctor_id=next(_ids) if doctor_id is None else doctor_id,
        context={"route_in": "self", **(context or {})},
        dates={"received": dt.date(2026, 1, 9), "closed": dt.date(2026, 6, 30)},
        outcomes={"completed": completed, "gas_t": gas_t, **outcomes},
        answered=answers,
    )


def many(n: int, **kwargs) -> list[Fact]:
    return [fact(**kwargs) for _ in range(n)]
