"""The docs stay true: every file and test that docs/CI_CRITERIA.md, docs/TESTING.md and
docs/UX.md name exists, and every picture the README shows is there.

A name counts when it is in backticks and looks like a repository path (``billing/views.py``,
``tests/browser/vendor/``) or a test (``billing/tests/test_studio.py::test_studio_requires_login``).
URLs (``/dashboard/``), placeholders (``<app>/tests/test_*.py``) and dotted names are left alone.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["docs/CI_CRITERIA.md", "docs/TESTING.md", "docs/UX.md"]
CODE = re.compile(r"`([^`\n]+)`")
PLACEHOLDER = re.compile(r"[<>*{}…\s]")
PATH_LIKE = re.compile(r"^\.?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$")


def named_paths_and_tests(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    paths, tests = set(), set()
    for token in CODE.findall(text):
        token = token.strip("'\"")
        if "::" in token and not PLACEHOLDER.search(token):
            file, _, name = token.partition("::")
            tests.add((file, name))
        elif (
            "/" in token
            and not token.startswith(("/", "http"))
            and not PLACEHOLDER.search(token)
            and PATH_LIKE.match(token)
        ):
            paths.add(token)
    return paths, tests


def functions_named_test(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            found.add(node.name)
    return found


def test_the_reader_finds_paths_and_tests_and_skips_the_rest():
    paths, tests = named_paths_and_tests(
        "`billing/views.py`, `tests/browser/vendor/`, `a/b.py::test_x`, `/dashboard/`, "
        "`<app>/tests/test_*.py`, `https://x.example/a`, `billing.entitlements`, `make test`"
    )
    assert paths == {"billing/views.py", "tests/browser/vendor/"}
    assert tests == {("a/b.py", "test_x")}


@pytest.mark.parametrize("doc", CHECKED)
def test_every_file_and_test_the_docs_name_exists(doc):
    paths, tests = named_paths_and_tests((ROOT / doc).read_text())
    assert tests, f"{doc} names no tests: has the format changed?"
    missing = [p for p in sorted(paths) if not (ROOT / p).exists()]
    for file, name in sorted(tests):
        if not (ROOT / file).is_file():
            missing.append(f"{file} (for {name})")
        elif name not in functions_named_test(ROOT / file):
            missing.append(f"{file}::{name}")
    assert not missing, f"{doc} names what does not exist:\n" + "\n".join(missing)


def test_every_readme_screenshot_exists():
    readme = (ROOT / "README.md").read_text()
    pictures = re.findall(r"docs/screenshots/[\w.-]+\.png", readme)
    assert pictures, "the README shows no screenshots"
    missing = [p for p in pictures if not (ROOT / p).is_file()]
    assert not missing, "README shows pictures that are not there: " + ", ".join(missing)
