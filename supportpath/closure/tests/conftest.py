# The progress tests' fixtures: a case in support as of NOW, and the daily checks.
from supportpath.progress.tests.conftest import NOW, TODAY, assessed, in_support, run_checks

__all__ = ["NOW", "TODAY", "assessed", "in_support", "run_checks"]
