"""Every seam a lower app declares is answered by the app above it once the apps are ready, and asking an
unanswered seam says so plainly (docs/adr/0004-layers.md)."""

import importlib
import pkgutil

import pytest

import supportpath
from supportpath.core.seams import Seam


def _declared_seams():
    for module in pkgutil.iter_modules(supportpath.__path__):
        try:
            seams = importlib.import_module(f"supportpath.{module.name}.seams")
        except ModuleNotFoundError:
            continue
        for name, value in vars(seams).items():
            if isinstance(value, Seam):
                yield f"{module.name}.seams.{name}", value


def test_every_declared_seam_is_answered():
    declared = dict(_declared_seams())
    assert declared, "no seams found"
    unanswered = [name for name, seam in declared.items() if seam._answer is None]
    assert not unanswered, f"Nothing plugs these seams in an AppConfig.ready(): {unanswered}"


def test_an_unanswered_seam_says_which_question_has_no_answer():
    seam = Seam("example", "what the example asks")
    with pytest.raises(RuntimeError, match="example"):
        seam()
    seam.plug(lambda x: x * 2)
    assert seam(21) == 42
