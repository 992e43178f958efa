"""Editors' help: CONTRIBUTING.md is generated from the schemas, every content file points its editor at
the schema, and the editor settings and pre-commit hook exist and are what they say."""
from __future__ import annotations

import configparser
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import schemas
from generator.check import check_site
from generator.cli import main
from generator.config import SiteConfig
from generator.contributing import GUIDE_KINDS, render_contributing, schema_fields

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "CONTRIBUTING.md"


def test_committed_contributing_is_what_the_schemas_generate():
    assert GUIDE.read_text(encoding="utf-8") == render_contributing(), \
        "CONTRIBUTING.md is out of date: run `yizhan contributing`"


def test_contributing_check_command(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["contributing", "--check", "--output", str(GUIDE)]).exit_code == 0
    stale = tmp_path / "CONTRIBUTING.md"
    stale.write_text(GUIDE.read_text(encoding="utf-8").replace("必填", "必須", 1), encoding="utf-8")
    result = runner.invoke(main, ["contributing", "--check", "--output", str(stale)])
    assert result.exit_code == 1 and "yizhan contributing" in result.output
    assert runner.invoke(main, ["contributing", "--output", str(stale)]).exit_code == 0
    assert runner.invoke(main, ["contributing", "--check", "--output", str(stale)]).exit_code == 0


def test_every_folder_field_and_allowed_value_is_explained():
    text = render_contributing()
    assert {folder for folder, _ in GUIDE_KINDS} == set(schemas.KINDS)
    for folder, title in GUIDE_KINDS:
        assert f"### {title}：`content/{folder}/`" in text
        for f in schema_fields(schemas.KINDS[folder]):
            assert f"`{f.path}` |" in text, f"{folder}: {f.path}"
            assert f.description, f"{folder}: {f.path} has no description in the schema"
            for value in f.enum:
                assert f"`{value}`" in text


def test_the_guide_covers_the_web_editor_flow_and_the_rules():
    text = render_contributing()
    for step in ("打开文件", "铅笔图标", "修改", "提交到新分支", "创建拉取请求", "看检查结果", "维护者合并", "网站自动更新", "每晚"):
        assert step in text, step
    for topic in ("status: closed", "approximate", "不知道就不写", "Files changed", "site-preview", "English note"):
        assert topic in text, topic


def test_the_error_example_is_the_validators_real_output():
    text = render_contributing()
    line = next(ln for ln in text.splitlines() if "error[unknown-key]" in ln)
    assert re.match(r"^content/stations/chenping-linggong\.yaml:6:1: error\[unknown-key\]: .*opening_hours", line)


def test_error_codes_in_the_table_exist_in_the_validator():
    text = render_contributing()
    section = text.split('<a id="errors"></a>')[1].split('<a id="after-merge"></a>')[0]
    codes = {c for row in section.splitlines() if row.startswith("| `") for c in re.findall(r"`([a-z0-9-]+)`", row.split("|")[1])}
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "generator").rglob("*.py"))
    assert codes and all(f'"{c}"' in source for c in codes), codes


def test_the_minimal_example_in_the_guide_validates(tmp_path):
    text = render_contributing()
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("# yaml-language-server"))
    rid = re.search(r"^id: (\S+)$", block, re.M).group(1)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert not (content / "stations" / f"{rid}.yaml").exists(), "the example must not be an existing station"
    (content / "stations" / f"{rid}.yaml").write_text(block, encoding="utf-8")
    result = check_site(SiteConfig(content_dir=content))
    assert [p for p in result.problems if p.is_error] == []


def content_files():
    return sorted(p for p in (ROOT / "content").glob("*/*.y*ml") if p.is_file())


@pytest.mark.parametrize("path", content_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_content_file_starts_with_its_schema_modeline(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    expected = f"# yaml-language-server: $schema=../../generator/schemas/{schemas.KINDS[path.parent.name]}"
    assert first == expected
    assert (path.parent / first.split("$schema=", 1)[1]).resolve().is_file()


def test_editorconfig_matches_what_the_loader_accepts():
    config = configparser.ConfigParser()  # .editorconfig is INI with a preamble before the first section
    config.read_string("[preamble]\n" + (ROOT / ".editorconfig").read_text(encoding="utf-8"))
    assert config["preamble"]["root"] == "true"
    assert config["*"]["charset"] == "utf-8" and config["*"]["indent_style"] == "space"
    assert config["*"]["end_of_line"] == "lf"
    yaml_section = next(s for s in config.sections() if "yaml" in s)
    assert config[yaml_section]["indent_size"] == "2"


def test_pre_commit_runs_the_validator():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    validate = next(h for h in hooks if h["id"] == "yizhan-validate")
    assert "validate" in validate["entry"] and validate["pass_filenames"] is False
    assert re.search(validate["files"], "content/stations/chenping-linggong.yaml")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^validate:.*\n\t.*yizhan validate", makefile, re.M)
    assert any("contributing --check" in h["entry"] for h in hooks)
