"""Package discovery (the metadata is in pyproject.toml).

The wheel holds one top-level package, `newsreader`, whose parts live in folders at the root
of the repository: `index/` is `newsreader.index` (the engine), `tui/` is `newsreader.tui`
(the app and the command line), `sample_corpus/` is `newsreader.sample_corpus`. Subpackages
are found, not listed, so a new one can never be left out of the wheel.
"""

from setuptools import find_namespace_packages, setup

PARTS = ("index", "tui", "sample_corpus")

packages = [
    f"newsreader.{name}"
    for name in find_namespace_packages(include=[f"{part}*" for part in PARTS])
    if "__pycache__" not in name
]
setup(
    packages=packages,
    package_dir={f"newsreader.{part}": part for part in PARTS},
)
