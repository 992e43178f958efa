"""`yizhan validate`: exit codes, the three output formats, --strict, and no traceback on any input."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import report
from generator.cli import main
from generator.errors import Problem, error, warning

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
INVALID = EXAMPLES / "invalid"
FOLDERS = {"station": "stations", "service": "services", "policy": "policies", "kind": "kinds", "amenity": "amenities"}
EXAMPLE_FILES = sorted(p.name for p in INVALID.iterdir() if p.is_file() and p.name != "expected.yaml")
WARNING_ONLY = {"station_outside-xigu.yaml", "station_near-duplicate.yaml", "station_stale.yaml"}

# ::error file=…,line=…,col=…,title=…::message — properties may not contain a raw ':' or ','
GITHUB_LINE = re.compile(r"^::(error|warning) file=([^:,\r\n]+),line=(\d+),col=(\d+),title=([^:,\r\n]+)::([^\r\n]*)$")


def yizhan() -> list[str]:
    script = Path(sys.executable).with_name("yizhan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def add_example(content: Path, name: str) -> str:
    kind, _, rest = name.partition("_")
    rel = f"{FOLDERS[kind]}/{rest}"
    shutil.copyfile(INVALID / name, content / rel)
    return f"content/{rel}"


@pytest.fixture
def invoke(cli_env, monkeypatch):
    """Run `yizhan validate …` in-process with the fixed date; returns click's Result."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", cli_env["SOURCE_DATE_EPOCH"])

    def run(*args: str):
        return CliRunner().invoke(main, ["validate", *map(str, args)], catch_exceptions=True)

    return run


def no_crash(result) -> None:
    """A clean exit: click's SystemExit, never an exception escaping the command."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}\n{result.output}") from result.exception


# ── exit codes ──

def test_clean_tree_exits_0(invoke, base_content):
    result = invoke("--content", base_content)
    no_crash(result)
    assert result.exit_code == 0, result.output
    assert "没有发现问题（no problems found）" in result.output


def test_errors_exit_1(invoke, base_content):
    add_example(base_content, "station_unknown-key.yaml")
    result = invoke("--content", base_content)
    no_crash(result)
    assert result.exit_code == 1


@pytest.mark.parametrize("args", [
    ["--format", "xml"],
    ["--no-such-option"],
    ["--content"],
    ["--content", "{missing}"],
    ["surplus-argument"],
])
def test_usage_errors_exit_2(invoke, base_content, tmp_path, args):
    args = [a.replace("{missing}", str(tmp_path / "no-such-folder")) for a in args]
    if "--content" not in args:
        args += ["--content", str(base_content)]
    result = invoke(*args)
    no_crash(result)
    assert result.exit_code == 2, result.output


def test_default_content_folder_is_content_in_the_working_directory(base_content, cli_env):
    run = subprocess.run([*yizhan(), "validate"], cwd=base_content.parent, env=cli_env, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr.decode()
    run = subprocess.run([*yizhan(), "validate"], cwd=base_content, env=cli_env, capture_output=True, timeout=60)
    assert run.returncode == 2  # no content/ here: a usage error, said on stderr
    assert "content" in run.stderr.decode("utf-8")


# ── formats ──

def test_text_format_is_path_line_col_severity_code_message(invoke, base_content):
    add_example(base_content, "station_unknown-key.yaml")
    result = invoke("--content", base_content)
    lines = result.output.splitlines()
    assert 'content/stations/unknown-key.yaml:13:1: error[unknown-key]: 未知字段 "phnoe"（unknown key）：是否想写 "phones"？' in lines
    assert '    提示 / hint: 是否想写 "phones"？/ did you mean "phones"?' in lines
    assert lines[-1] == "发现 1 个错误、0 个警告（1 errors, 0 warnings）"


def test_json_format(invoke, base_content):
    add_example(base_content, "station_unknown-key.yaml")
    add_example(base_content, "station_stale.yaml")
    result = invoke("--format", "json", "--content", base_content)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 1 and data["warnings"] == 1
    assert {p["code"]: p["severity"] for p in data["problems"]} == {"unknown-key": "error", "stale": "warning"}
    first = next(p for p in data["problems"] if p["code"] == "unknown-key")
    assert first == {
        "path": "content/stations/unknown-key.yaml", "line": 13, "col": 1, "severity": "error",
        "code": "unknown-key", "key": "phnoe",
        "message": '未知字段 "phnoe"（unknown key）：是否想写 "phones"？',
        "hint": '是否想写 "phones"？/ did you mean "phones"?'}


def test_json_format_when_clean(invoke, base_content):
    result = invoke("--format", "json", "--content", base_content)
    assert result.exit_code == 0
    assert json.loads(result.output) == {"problems": [], "errors": 0, "warnings": 0}


def test_github_format_lines(invoke, base_content):
    for name in ("station_unknown-key.yaml", "station_stale.yaml", "station_yaml-syntax.yaml", "station_bad-phone.yaml"):
        add_example(base_content, name)
    result = invoke("--format", "github", "--content", base_content)
    assert result.exit_code == 1
    *commands, summary = result.output.rstrip("\n").split("\n")
    assert summary.startswith("发现 ")
    assert len(commands) == 4
    for line in commands:
        assert GITHUB_LINE.match(line), line
    assert ("::error file=content/stations/unknown-key.yaml,line=13,col=1,title=unknown-key phnoe::"
            '未知字段 "phnoe"（unknown key）：是否想写 "phones"？%0A提示 / hint: 是否想写 "phones"？/ did you mean "phones"?'
            ) in commands
    assert any(line.startswith("::warning file=content/stations/stale.yaml,line=17,col=14,title=stale verified_on::")
               for line in commands)


def test_github_escaping():
    p = Problem("content/a,b:c%.yaml", 3, 4, "some-code", "100% sure\r\nsecond line: a, b", "hint: x",
                key="k:1,2")
    line, summary = report.as_github([p]).split("\n")
    assert line == ("::error file=content/a%2Cb%3Ac%25.yaml,line=3,col=4,title=some-code k%3A1%2C2::"
                    "100%25 sure%0D%0Asecond line: a, b%0A提示 / hint: hint: x")
    assert GITHUB_LINE.match(line)


def test_control_characters_from_content_cannot_forge_output(invoke, base_content):
    """A quoted value may hold escapes: "\\e" recolours a terminal, "\\n::error …" would forge an annotation."""
    (base_content / "stations" / "test-station-b.yaml").write_text(
        (base_content / "stations" / "test-station-b.yaml").read_text(encoding="utf-8").replace(
            "status: temporarily-closed", 'status: "\\e[31mred\\n::error file=x::forged\\r"'), encoding="utf-8")
    text = invoke("--content", base_content)
    assert text.exit_code == 1
    assert "\x1b" not in text.output and "\r" not in text.output
    assert not any(line.startswith("::") for line in text.output.splitlines())
    assert "\\x1b[31mred\\x0a::error file=x::forged\\x0d" in text.output
    github = invoke("--format", "github", "--content", base_content)
    assert "\x1b" not in github.output
    *commands, _ = github.output.rstrip("\n").split("\n")
    problems = json.loads(invoke("--format", "json", "--content", base_content).output)["problems"]
    assert {p["code"] for p in problems} == {"invalid-enum", "invisible-char"}  # the escapes \e and \r, and the enum
    assert len(commands) == len(problems)
    assert all(GITHUB_LINE.match(line) for line in commands)
    assert any("\\x1b[31mred%0A::error file=x::forged%0D" in line for line in commands)


def test_github_warning_and_error_levels():
    out = report.as_github([error("p.yaml", 1, 1, "e", "m"), warning("p.yaml", 2, 1, "w", "m")]).split("\n")
    assert out[0].startswith("::error file=p.yaml,line=1,col=1,title=e::m")
    assert out[1].startswith("::warning file=p.yaml,line=2,col=1,title=w::m")


# ── --strict ──

@pytest.mark.parametrize("name", sorted(WARNING_ONLY))
def test_strict_turns_warnings_into_failure(invoke, base_content, name):
    add_example(base_content, name)
    relaxed = invoke("--content", base_content)
    no_crash(relaxed)
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning[" in relaxed.output
    strict = invoke("--strict", "--content", base_content)
    no_crash(strict)
    assert strict.exit_code == 1
    assert "严格模式" in strict.output  # CliRunner mixes stderr into output


def test_strict_on_a_clean_tree_exits_0(invoke, base_content):
    assert invoke("--strict", "--content", base_content).exit_code == 0


# ── no traceback, whatever the input ──

@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_exits_cleanly(invoke, base_content, name):
    add_example(base_content, name)
    for fmt in ("text", "json", "github"):
        result = invoke("--format", fmt, "--content", base_content)
        no_crash(result)
        assert result.exit_code == (0 if name in WARNING_ONLY else 1), result.output
        assert "Traceback" not in result.output


def _hostile_tree(content: Path) -> None:
    stations = content / "stations"
    (stations / "oversized.yaml").write_bytes(b"id: oversized\nname: " + b"x" * (300 * 1024) + b"\n")
    (stations / "deep-flow.yaml").write_text("id: deep-flow\nname: " + "[" * 100_000 + "\n", encoding="utf-8")
    (stations / "deep-block.yaml").write_text("".join("  " * i + f"k{i}:\n" for i in range(300)), encoding="utf-8")
    (stations / "binary.yaml").write_bytes(bytes(range(256)) * 64)
    (stations / "nul.yaml").write_bytes(b"id: nul\x00\nname: x\n")
    (stations / "lone-surrogate.yaml").write_bytes(b"id: x\nname: \xed\xa0\x80\n")
    (stations / "zero-width-flood.yaml").write_text("id: z\nname: " + "\u200b" * 80_000 + "\n", encoding="utf-8")
    (stations / "many-keys.yaml").write_text("".join(f"k{i}: v\n" for i in range(20_000)), encoding="utf-8")
    (stations / "only-dashes.yaml").write_text("---\n", encoding="utf-8")
    (stations / "scalar.yaml").write_text("just text\n", encoding="utf-8")
    (stations / "python-tag.yaml").write_text("id: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    (stations / "crlf.yaml").write_bytes(b"id: crlf\r\nname: \xe6\xb5\x8b\r\n")
    (stations / "link.yaml").symlink_to("/etc/passwd")
    (content / "unknown-folder").mkdir()
    (content / "unknown-folder" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    (content / "stations" / "folder.yaml").mkdir()


def test_hostile_files_in_one_subprocess_run(base_content, cli_env):
    _hostile_tree(base_content)
    for fmt in ("text", "json", "github"):
        run = subprocess.run([*yizhan(), "validate", "--format", fmt, "--content", str(base_content)],
                             env=cli_env, capture_output=True, timeout=60)
        stderr = run.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr, stderr
        assert run.returncode == 1, stderr
        assert b"pwned" not in run.stdout.replace(b"echo pwned", b"")
        assert b"root:x:0:0" not in run.stdout  # the symlink is refused, not read
    problems = json.loads(subprocess.run(
        [*yizhan(), "validate", "--format", "json", "--content", str(base_content)],
        env=cli_env, capture_output=True, timeout=60).stdout)["problems"]
    codes = {(Path(p["path"]).name, p["code"]) for p in problems}
    for expected in [("oversized.yaml", "file-too-large"), ("deep-flow.yaml", "too-deep"),
                     ("deep-block.yaml", "too-deep"), ("binary.yaml", "not-utf8"), ("nul.yaml", "yaml-syntax"),
                     ("lone-surrogate.yaml", "not-utf8"), ("zero-width-flood.yaml", "too-many-problems"),
                     ("many-keys.yaml", "too-many-problems"), ("only-dashes.yaml", "empty-file"),
                     ("scalar.yaml", "not-a-mapping"), ("python-tag.yaml", "yaml-tag"), ("link.yaml", "symlink"),
                     ("x.yaml", "unknown-folder")]:
        assert expected in codes, expected
    assert len(problems) < 2000  # a flood of problems is capped per file
