"""The layers are enforced by ``lint-imports`` (pyproject.toml, docs/adr/0004-layers.md). An import tucked inside a
function to dodge a contract must break it as surely as one at the top of a file: proved here on a two-module
package with the same kinds of contract, run through the same command ``scripts/test`` runs."""

import subprocess  # nosec B404 # runs the project's own linter on files this test writes
import sys
import tomllib
from pathlib import Path

import pytest

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = """
[importlinter]
root_package = house

[importlinter:contract:layers]
name = Apps import only downwards
type = layers
layers =
    house.pages
    house.core

[importlinter:contract:apps]
name = No cycles between apps
type = acyclic_siblings
ancestors =
    house
"""


def _lint(tmp_path: Path, core: str) -> subprocess.CompletedProcess:
    package = tmp_path / "house"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "pages.py").write_text("from house import core\n")
    (package / "core.py").write_text(core)
    (tmp_path / ".importlinter").write_text(CONTRACTS)
    return subprocess.run(  # nosec B603 # a fixed command on files this test wrote
        [str(LINT_IMPORTS), "--config", ".importlinter", "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(LINT_IMPORTS.parent)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_pass_when_imports_only_point_down(tmp_path):
    result = _lint(tmp_path, "def label():\n    return 'core'\n")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "core",
    [
        "from house import pages\n",
        "def label():\n    from house import pages\n\n    return pages\n",
        "def label():\n    import house.pages\n\n    return house.pages\n",
    ],
    ids=["at the top", "inside a function", "import inside a function"],
)
def test_an_upward_import_breaks_the_layers_wherever_it_is_written(tmp_path, core):
    result = _lint(tmp_path, core)
    assert result.returncode == 1
    assert "Apps import only downwards BROKEN" in result.stdout
    assert "house.core -> house.pages" in result.stdout


def test_the_project_enforces_both_contracts_with_no_exceptions_but_tests():
    config = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert {contract["type"] for contract in config["contracts"]} == {"layers", "acyclic_siblings"}
    for contract in config["contracts"]:
        assert contract.get("ignore_imports", []) == ["supportpath.*.tests.** -> supportpath.**"]
        assert not contract.get("exclude_type_checking_imports", False)
