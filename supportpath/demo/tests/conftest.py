"""The demo's clock: seeded with the clock stopped on a Wednesday, so the dates are the same every run. The tests
that share one seeded demo are in ``seeded/``; the ones here seed on an empty database themselves."""

import datetime as dt

SEEDED_AT = dt.datetime(2026, 3, 11, 10, 30, tzinfo=dt.UTC)  # a Wednesday in term time
TODAY = dt.date(2026, 3, 11)
