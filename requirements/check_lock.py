"""Say clearly when pyproject.toml asks for something the lock files do not install.

Run by `make install` after installing requirements/dev.txt: a dependency added to pyproject.toml
without `make lock` would otherwise be missing, or be installed unpinned, without a word.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def unmet(requirements: list[str]) -> list[str]:
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement} (not installed)")
            continue
        if requirement.specifier and not requirement.specifier.contains(
            installed, prereleases=True
        ):
            problems.append(f"{requirement} (the lock has {installed})")
    return problems


def main() -> int:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    problems = unmet(wanted)
    if problems:
        print("pyproject.toml asks for what requirements/*.txt do not install:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print("Run `make lock` to write the lock files again, and commit them.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
