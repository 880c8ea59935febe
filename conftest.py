import pytest

pytest_plugins = ["supportpath.testing.browser"]

# The modules that share one seeded demo (demo/tests/seeded/conftest.py): one worker runs them all, in order.
SHARED_DEMO = "supportpath/demo/tests/seeded/"


def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (as scripts/test runs it), each test module goes to one worker whole, so its
    module-scoped fixtures are built once, and the demo's tests go to one worker together, so the package-scoped
    demo is seeded once. Browser tests (``*_in_browser.py``) share only the session's browser, so they go one by
    one: a long browser module does not hold up the end of the run on one worker."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleAndSharedDemo(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if module.startswith(SHARED_DEMO):
                return SHARED_DEMO
            return nodeid if module.endswith("_in_browser.py") else module

    return ByModuleAndSharedDemo(config, log)


@pytest.fixture
def world(db):
    from supportpath.testing.personas import build_world

    return build_world()
