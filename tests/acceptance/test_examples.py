"""The example corpus: tests/examples/invalid/<kind>_<id>.<ext>, each with its exact expected problems.

Each example is dropped, alone, into a copy of the valid tree tests/examples/base/ as
content/<kind folder>/<id>.<ext>, and `check_site` must report exactly the problems listed
for it in tests/examples/invalid/expected.yaml: same codes, same lines, same severities,
no more and no fewer. Then the real `yizhan validate` runs once over all of them together
and must report every one of those problems in that single run.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.check import check_site

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
INVALID = EXAMPLES / "invalid"
FOLDERS = {"station": "stations", "service": "services", "policy": "policies", "kind": "kinds", "amenity": "amenities"}
EXPECTED: dict[str, list[dict]] = yaml.safe_load((INVALID / "expected.yaml").read_text(encoding="utf-8"))
EXAMPLE_FILES = sorted(p.name for p in INVALID.iterdir() if p.is_file() and p.name != "expected.yaml")


def yizhan() -> list[str]:
    """The installed `yizhan` console script next to this Python (the real entry point)."""
    script = Path(sys.executable).with_name("yizhan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def target(name: str) -> str:
    """station_unknown-key.yaml → content/stations/unknown-key.yaml"""
    kind, sep, rest = name.partition("_")
    assert sep and kind in FOLDERS, f"{name}: name examples <kind>_<id>.<ext>, kind one of {sorted(FOLDERS)}"
    return f"content/{FOLDERS[kind]}/{rest}"


def expected_problems(name: str) -> Counter:
    out: Counter = Counter()
    for entry in EXPECTED[name]:
        assert set(entry) <= {"code", "line", "severity", "path", "count"}, f"{name}: unexpected fields in {entry}"
        out[(entry.get("path", target(name)), entry["code"], entry["line"], entry["severity"])] += entry.get("count", 1)
    return out


def found_problems(problems) -> Counter:
    return Counter((p.path, p.code, p.line, p.severity.value) for p in problems)


def test_every_example_has_an_expectation_and_every_expectation_an_example():
    assert isinstance(EXPECTED, dict)
    missing = sorted(set(EXAMPLE_FILES) - set(EXPECTED))
    orphans = sorted(set(EXPECTED) - set(EXAMPLE_FILES))
    assert not missing, f"examples without an entry in expected.yaml: {missing}"
    assert not orphans, f"entries in expected.yaml without an example file: {orphans}"


def test_every_example_expects_at_least_one_problem():
    assert all(EXPECTED[name] for name in EXAMPLE_FILES), "an example that breaks nothing belongs in base/"


def test_target_names_do_not_collide():
    targets = [target(name) for name in EXAMPLE_FILES]
    assert len(targets) == len(set(targets))
    base = {p.relative_to(EXAMPLES / "base").as_posix() for p in (EXAMPLES / "base").rglob("*.yaml")}
    assert not base & set(targets)


def test_base_tree_is_clean(base_content, make_config):
    result = check_site(make_config(base_content))
    assert result.problems == []
    assert result.catalog is not None
    assert {k: len(getattr(result.catalog, k)) for k in FOLDERS.values()} == {
        "stations": 2, "services": 2, "policies": 1, "kinds": 1, "amenities": 2}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example(name, base_content, make_config):
    rel = target(name)
    shutil.copyfile(INVALID / name, base_content.parent / rel)
    result = check_site(make_config(base_content))
    assert found_problems(result.problems) == expected_problems(name), "\n".join(
        f"{p.path}:{p.line}:{p.col}: {p.severity.value}[{p.code}]: {p.message}" for p in result.problems)
    # every problem is complete: a stable code, a position inside the file, a message and a hint
    for p in result.problems:
        assert p.line >= 1 and p.col >= 1 and p.message and p.hint, p
    has_errors = any(e["severity"] == "error" for e in EXPECTED[name])
    assert (result.catalog is None) == has_errors


def test_one_run_reports_every_problem_of_every_file(base_content, cli_env):
    """All examples at once through the real CLI: one run, every problem of every file, exit 1."""
    for name in EXAMPLE_FILES:
        shutil.copyfile(INVALID / name, base_content.parent / target(name))
    run = subprocess.run(
        [*yizhan(), "validate", "--format", "json", "--content", str(base_content)],
        cwd=base_content.parent, env=cli_env, capture_output=True, timeout=120)
    stderr = run.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert run.returncode == 1, stderr
    report = json.loads(run.stdout.decode("utf-8"))
    found = Counter((p["path"], p["code"], p["line"], p["severity"]) for p in report["problems"])
    expected = sum((expected_problems(name) for name in EXAMPLE_FILES), Counter())
    assert found == expected
    assert len({p["path"] for p in report["problems"]}) >= len(EXAMPLE_FILES)
    assert report["errors"] == sum(n for (_, _, _, sev), n in expected.items() if sev == "error")
    assert report["warnings"] == sum(n for (_, _, _, sev), n in expected.items() if sev == "warning")


def test_reading_in_two_processes_reports_what_one_process_does(base_content, make_config):
    """Large sites are read in two processes (check.PARALLEL_FROM); the problems, with their exact
    positions from the cross-document rules too, and the catalogue must not depend on it."""
    clean_one = check_site(make_config(base_content), parallel=False)
    clean_two = check_site(make_config(base_content), parallel=True)
    assert clean_two.catalog is not None and clean_two.catalog == clean_one.catalog
    for name in EXAMPLE_FILES:
        shutil.copyfile(INVALID / name, base_content.parent / target(name))
    one = check_site(make_config(base_content), parallel=False)
    two = check_site(make_config(base_content), parallel=True)
    assert len(one.problems) > len(EXAMPLE_FILES)
    assert two.problems == one.problems
