"""EMERGENCY_ACCESS_MINUTES: a bounded number of minutes, refused when it is not."""

import pytest

from supportpath.core.tests.test_settings import _run_manage


@pytest.mark.parametrize("value", ["0", "4", "241", "sixty"])
def test_an_emergency_access_time_out_of_bounds_stops_the_process(value):
    result = _run_manage("check", env={"DJANGO_ENV": "test", "EMERGENCY_ACCESS_MINUTES": value})
    assert result.returncode != 0
    assert "EMERGENCY_ACCESS_MINUTES" in result.stderr


def test_a_sensible_emergency_access_time_is_accepted():
    result = _run_manage("check", env={"DJANGO_ENV": "test", "EMERGENCY_ACCESS_MINUTES": "30"})
    assert result.returncode == 0, result.stderr
