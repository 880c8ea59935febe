import pytest

pytest_plugins = ["supportpath.testing.browser"]


@pytest.fixture
def world(db):
    from supportpath.testing.personas import build_world

    return build_world()
