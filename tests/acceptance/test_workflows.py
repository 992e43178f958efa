"""The GitHub workflows: they parse, ask for least privilege, pin every action, never expand an expression
inside a shell script, and zizmor finds nothing in them. Also the annotation format the Check relies on."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.y*ml"))
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:  # PyYAML reads the key `on` as the boolean true (YAML 1.1)
        doc["on"] = doc.pop(True)
    return doc


def triggers(doc: dict) -> dict:
    on = doc["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(doc: dict):
    for name, job in doc["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def tool(name: str) -> str | None:
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else shutil.which(name)


def test_there_are_a_check_and_a_publish_workflow():
    assert {p.name for p in FILES} >= {"check.yml", "publish.yml"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege_and_pinning(path):
    doc = load(path)
    text = path.read_text(encoding="utf-8")
    assert doc["permissions"] == {}, "top-level permissions must be {}"
    assert "pull_request_target" not in triggers(doc) and "pull_request_target" not in json.dumps(doc)
    assert "workflow_run" not in triggers(doc)
    for name, job in doc["jobs"].items():
        assert "permissions" in job, f"job {name} must say which permissions it needs"
        assert "secrets: inherit" not in text
    for job, step in steps(doc):
        if "uses" in step:
            assert PINNED.match(step["uses"]), f"{job}: {step['uses']} is not pinned to a full commit SHA"
            line = next(ln for ln in text.splitlines() if step["uses"] in ln)
            assert re.search(r"#\s*v\d", line), f"{job}: {step['uses']} needs a '# vX' comment"
            if step["uses"].startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False
        if "run" in step:
            assert "${{" not in step["run"], f"{job}: expression expanded inside run: {step['run']!r}"


def test_check_runs_on_pull_requests_with_read_only_access():
    doc = load(WORKFLOWS / "check.yml")
    assert "pull_request" in triggers(doc)
    runs = "\n".join(step.get("run", "") for _, step in steps(doc))
    assert "yizhan validate --format github" in runs
    assert re.search(r'yizhan diff "origin/\$BASE_REF" --format markdown.*>> "\$GITHUB_STEP_SUMMARY"', runs)
    assert "make site" in runs and "make test" in runs
    for job in doc["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    checkout = next(step for _, step in steps(doc) if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    diff_step = next(step for _, step in steps(doc) if "yizhan diff" in step.get("run", ""))
    assert diff_step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    upload = next(step for _, step in steps(doc) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"


def test_publish_builds_nightly_and_deploys_with_the_official_pages_actions():
    doc = load(WORKFLOWS / "publish.yml")
    on = triggers(doc)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert len(on["schedule"]) == 1 and len(on["schedule"][0]["cron"].split()) == 5
    assert doc["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [step["uses"].split("@")[0] for _, step in steps(doc) if "uses" in step]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    deploy = next(job for job in doc["jobs"].values()
                  if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"]))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    build = doc["jobs"][deploy["needs"]]
    assert "write" not in build["permissions"].values()
    assert any("make site" in s.get("run", "") for s in build["steps"])


def test_zizmor_finds_nothing():
    zizmor = tool("zizmor")
    assert zizmor, "zizmor is missing: it is in the test extras (make test installs it)"
    done = subprocess.run([zizmor, "--offline", "--format", "json", str(WORKFLOWS),
                           str(ROOT / ".pre-commit-config.yaml")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    findings = json.loads(done.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=2)[:4000]
    assert done.returncode == 0, done.stderr


def test_actionlint_finds_nothing():
    actionlint = tool("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (no registry ships a current build of it)")
    done = subprocess.run([actionlint, "-no-color", *map(str, FILES)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


# ::error file=…,line=…,col=…,title=…::message; properties may hold neither a raw ':' nor ','
ANNOTATION = re.compile(r"^::(error|warning) file=([^:,\r\n]+),line=(\d+),col=(\d+)(?:,title=([^:,\r\n]*))?::([^\r\n]+)$")


def test_github_annotations_point_at_the_changed_line(base_content):
    station = base_content / "stations" / "test-station-a.yaml"
    lines = station.read_text(encoding="utf-8").splitlines()
    n = next(i for i, ln in enumerate(lines, 1) if ln.startswith("opening_hours:"))
    lines[n - 1] = "opening_hour: Mo-Fr 08:30-18:00"
    station.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--format", "github", "--content", str(base_content)])
    assert result.exit_code == 1
    annotations = [ln for ln in result.stdout.splitlines() if ln.startswith("::")]
    assert annotations and all(ANNOTATION.match(a) for a in annotations), annotations
    m = ANNOTATION.match(next(a for a in annotations if "unknown-key" in a))
    assert m.group(1) == "error"
    assert m.group(2) == "content/stations/test-station-a.yaml"
    assert (int(m.group(3)), int(m.group(4))) == (n, 1)
    assert "opening_hours" in m.group(6) and "\n" not in m.group(6)
