"""`yizhan new station|service|policy`: the file it writes validates, is commented, and never overwrites."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cli
from generator.check import check_site
from generator.config import SiteConfig
from generator.load import load_file
from generator.validate import validate_doc

STATION = ["--id", "new-station", "--name", "新驿站", "--kind", "test-kind", "--town", "测试街道",
           "--source-title", "测试来源", "--source-publisher", "测试报", "--source-date", "2026-05-01"]
SERVICE = ["--id", "new-service", "--name", "新服务", "--description", "提供热水。",
           "--audience", "环卫工人", "--audience", "快递员"]
POLICY = ["--id", "new-policy", "--title", "新政策", "--issuer", "测试机关", "--issued", "2026-01-01",
          "--summary", "摘要。", "--source-title", "测试来源", "--source-publisher", "测试报",
          "--source-date", "2026-05-01", "--source-url", "https://example.org/p"]
CASES = [("station", "stations", STATION), ("service", "services", SERVICE), ("policy", "policies", POLICY)]


def new(content: Path, kind: str, *args: str, env=None):
    return CliRunner().invoke(cli.main, ["new", kind, "--content", str(content), *args], env=env,
                              catch_exceptions=False)


def data_of(path: Path, folder: str) -> dict:
    raw = load_file(path, f"content/{folder}/{path.name}", folder)
    doc, problems = validate_doc(raw)
    assert not raw.problems + problems
    return doc.data


@pytest.mark.parametrize("kind,folder,args", CASES)
def test_new_file_validates_with_the_whole_catalogue(base_content, make_config, cli_env, kind, folder, args):
    result = new(base_content, kind, *args, env={"SOURCE_DATE_EPOCH": cli_env["SOURCE_DATE_EPOCH"]})
    assert result.exit_code == 0, result.output
    path = base_content / folder / f"new-{kind}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json\n")
    check = check_site(make_config(base_content))
    assert [p for p in check.problems if p.is_error] == []
    assert not [p for p in check.problems if p.path.endswith(path.name)]
    assert data_of(path, folder)["id"] == f"new-{kind}"
    assert CliRunner().invoke(cli.main, ["validate", "--content", str(base_content)]).exit_code == 0


def test_station_is_commented_and_has_no_fake_values(base_content):
    env = {"SOURCE_DATE_EPOCH": "1780000000"}  # 2026-05-29 in Beijing
    assert new(base_content, "station", *STATION, env=env).exit_code == 0
    path = base_content / "stations/new-station.yaml"
    text = path.read_text(encoding="utf-8")
    data = data_of(path, "stations")
    assert data["verified_on"] == "2026-05-29" and data["status"] == "active"
    assert data["sources"] == [{"title": "测试来源", "publisher": "测试报", "date": "2026-05-01"}]
    # optional facts stay as commented-out examples: never written as data
    assert set(data) == {"id", "name", "kind", "status", "town", "verified_on", "sources"}
    for optional in ("# location:", "# opening_hours:", "# phones:", "# services:", "# address:"):
        assert optional in text
    assert "# 驿站名称" in text and "test-kind" in text  # comments from the schema, choices from content/


def test_answers_cannot_break_the_yaml(base_content):
    hostile = 'a"b: c\n# d\n  e: [f] {g} &h *i !j \\ \u3000end'
    args = [*STATION]
    args[args.index("--name") + 1] = hostile
    result = new(base_content, "station", *args)
    assert result.exit_code == 0, result.output
    data = data_of(base_content / "stations/new-station.yaml", "stations")
    assert data["name"] == hostile


def test_existing_id_is_refused_and_the_file_is_untouched(base_content):
    path = base_content / "stations/test-station-a.yaml"
    before = path.read_bytes()
    args = [*STATION]
    args[args.index("--id") + 1] = "test-station-a"
    result = new(base_content, "station", *args)
    assert result.exit_code == 1
    assert "test-station-a" in result.stderr and "已经存在" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("flag,value,needle", [
    ("--id", "Bad_Id", "小写"),
    ("--id", "-bad", "小写"),
    ("--kind", "no-such-kind", "test-kind"),
    ("--source-date", "2026-02-30", "YYYY-MM-DD"),
    ("--source-date", "20260501", "YYYY-MM-DD"),
])
def test_bad_answers_are_usage_errors(base_content, flag, value, needle):
    args = [*STATION]
    args[args.index(flag) + 1] = value
    result = new(base_content, "station", *args)
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert not (base_content / "stations/new-station.yaml").exists()


def test_bad_url_is_a_usage_error(base_content):
    result = new(base_content, "policy", *POLICY[:-1], "javascript:alert(1)")
    assert result.exit_code == 2 and "http" in result.stderr


def test_missing_answers_without_a_terminal_name_the_flags(base_content):
    result = new(base_content, "station", "--id", "new-station")
    assert result.exit_code == 2
    for flag in ("--name", "--kind", "--town", "--source-title", "--source-publisher", "--source-date"):
        assert flag in result.output
    assert "--community" not in result.output.split("missing")[-1]


def test_missing_answers_are_asked_for_on_a_terminal(base_content, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    answers = "新驿站\ntest-kind\n测试街道\n测试来源\n测试报\n2026-05-01\n"
    result = CliRunner().invoke(cli.main, ["new", "station", "--content", str(base_content), "--id", "asked"],
                                input=answers, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert data_of(base_content / "stations/asked.yaml", "stations")["town"] == "测试街道"


def test_service_audience_prompt_splits_on_chinese_commas(base_content, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = CliRunner().invoke(cli.main, ["new", "service", "--content", str(base_content), "--id", "svc",
                                           "--name", "热水", "--description", "热水。"],
                                input="环卫工人、快递员，外卖骑手\n", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert data_of(base_content / "services/svc.yaml", "services")["audience"] == ["环卫工人", "快递员", "外卖骑手"]


def test_dry_run_prints_and_writes_nothing(base_content):
    result = new(base_content, "service", *SERVICE, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server:")
    assert not (base_content / "services/new-service.yaml").exists()


def test_all_three_kinds_write_into_their_folder_even_when_it_is_new(tmp_path):
    content = tmp_path / "content"
    (content / "kinds").mkdir(parents=True)
    (content / "kinds/k.yaml").write_text("id: k\nname: k\ndescription: d\naudience: a\nmarker: star\n",
                                          encoding="utf-8")
    args = [*STATION]
    args[args.index("--kind") + 1] = "k"
    assert new(content, "station", *args).exit_code == 0
    assert (content / "stations/new-station.yaml").is_file()
    assert check_site(SiteConfig(content_dir=content)).errors == []


def test_new_files_build_into_the_site(tmp_path):
    """The validator and the site agree: what `yizhan new` writes (quoted values, comments) also builds."""
    root = Path(__file__).resolve().parents[2]
    for name in ("mkdocs.yml", "docs", "site_templates", "content"):
        src = root / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(root / "node_modules", target_is_directory=True)  # Pagefind
    content = tmp_path / "content"
    station = [*STATION]
    station[station.index("--kind") + 1] = "linggong"
    for kind, args in (("station", station), ("service", SERVICE), ("policy", POLICY)):
        assert new(content, kind, *args).exit_code == 0
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli.main, ["build", "-d", str(tmp_path / "site")], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "site").rglob("new-station/index.html"))
    assert "新驿站" in page.read_text(encoding="utf-8")
