"""`yizhan diff BASE`: added, changed, closed and deleted records against a real temporary git repository."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import diff_report
from generator.cli import main
from generator.diff import MISSING, GitError, diff, field_changes

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, check=True)
    return done.stdout


@pytest.fixture
def repo(base_content: Path) -> Path:
    """tmp/ as a git repository whose first commit holds the small valid content tree in tmp/content/."""
    root = base_content.parent
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(repo: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)


def test_no_change_is_no_change(repo):
    result = run(repo, "HEAD")
    assert result.exit_code == 0, result.output
    assert "没有数据变更" in result.stdout


def test_comments_quoting_and_key_order_are_no_change(repo):
    station = repo / "content/stations/test-station-a.yaml"
    edit(station, "name: 测试驿站甲", "# 一条新注释\nname: \"测试驿站甲\"")
    edit(station, "lat: 36.1000", "lat: 36.10")
    assert diff(repo / "content", "HEAD").changes == []


def test_added_changed_closed_and_field_by_field(repo):
    content = repo / "content"
    a, b = content / "stations/test-station-a.yaml", content / "stations/test-station-b.yaml"
    edit(a, "name: 测试驿站甲", "name: 测试驿站甲（新址）")
    edit(a, "lat: 36.1000", "lat: 36.1050")
    edit(a, "  - test-charging\n", "")
    edit(a, "    value: 20", "    value: 25")
    edit(b, "status: temporarily-closed", "status: closed")
    new = (content / "stations/test-station-a.yaml").read_text(encoding="utf-8")
    (content / "stations/test-station-c.yaml").write_text(new.replace("test-station-a", "test-station-c")
                                                          .replace("测试驿站甲（新址）", "测试驿站丙"), encoding="utf-8")
    edit(content / "services/test-rest.yaml", "id: test-rest", "id: test-rest\nfee_note: 免费")

    result = diff(content, "HEAD")
    kinds = {(c.kind, c.id): c for c in result.changes}
    assert kinds[("stations", "test-station-c")].change == "added"
    assert kinds[("stations", "test-station-b")].change == "closed"
    changed = kinds[("stations", "test-station-a")]
    assert changed.change == "changed" and changed.label == "测试驿站甲（新址）"
    fields = {f.field: f for f in changed.fields}
    assert (fields["name"].old, fields["name"].new) == ("测试驿站甲", "测试驿站甲（新址）")
    assert (fields["location.lat"].old, fields["location.lat"].new) == (36.1, 36.105)
    assert fields["services"].removed == ("test-charging",) and fields["services"].added == ()
    assert (fields["facts[0].value"].old, fields["facts[0].value"].new) == (20, 25)
    assert set(fields) == {"name", "location.lat", "services", "facts[0].value"}
    service = kinds[("services", "test-rest")]
    assert [(f.field, f.old, f.new) for f in service.fields] == [("fee_note", MISSING, "免费")]
    assert result.guard == []

    text = run(repo, "HEAD")
    assert text.exit_code == 0, text.output
    assert "驿站 stations：新增 1，修改 1，关闭 1，删除 0" in text.stdout
    assert "location.lat: 36.1 → 36.105" in text.stdout
    assert "status: temporarily-closed → closed" in text.stdout
    assert "services: [test-rest, test-charging] → [test-rest]（−test-charging）" in text.stdout
    assert "fee_note: （无） → 免费" in text.stdout

    md = run(repo, "HEAD", "--format", "markdown").stdout
    assert md.startswith("## 内容变更")
    assert "| 驿站 stations | 1 | 1 | 1 | 0 |" in md
    assert "| 服务 services | 0 | 1 | 0 | 0 |" in md
    assert "**关闭 / closed**" in md and "**新增 / added**" in md
    assert "| ` test-station-a `<br>` 测试驿站甲（新址） ` | ` name ` | ` 测试驿站甲 ` | ` 测试驿站甲（新址） ` |" in md


def test_deleting_a_station_file_is_refused_with_status_closed_advice(repo):
    (repo / "content/stations/test-station-b.yaml").unlink()
    result = run(repo, "HEAD", "--max-removed-share", "1")
    assert result.exit_code == 1
    assert "content/stations/test-station-b.yaml" in result.stderr
    assert "status: closed" in result.stderr
    assert "删除 / removed" in run(repo, "HEAD", "--format", "markdown").stdout


def test_renaming_a_station_file_counts_as_deleting_it(repo):
    old = repo / "content/stations/test-station-b.yaml"
    new = repo / "content/stations/test-station-bb.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("test-station-b", "test-station-bb"), encoding="utf-8")
    old.unlink()
    result = diff(repo / "content", "HEAD", max_share=1)
    assert [g.path for g in result.guard] == ["content/stations/test-station-b.yaml"]


def test_removing_too_large_a_share_of_a_kind_is_refused(repo):
    (repo / "content/services/test-charging.yaml").unlink()  # 1 of 2 services = 50 %
    result = run(repo, "HEAD")
    assert result.exit_code == 1
    assert "content/services/test-charging.yaml" in result.stderr and "1/2" in result.stderr
    assert run(repo, "HEAD", "--max-removed-share", "0.5").exit_code == 0


def test_annotate_writes_a_github_error_for_the_deleted_file(repo):
    (repo / "content/stations/test-station-a.yaml").unlink()
    result = run(repo, "HEAD", "--format", "markdown", "--annotate")
    assert result.exit_code == 1
    assert re.search(r"^::error file=content/stations/test-station-a\.yaml,line=1,col=1,title=[^:]*::.*status%3A|"
                     r"^::error file=content/stations/test-station-a\.yaml,line=1,col=1,title=[^:]*::.*status: closed",
                     result.stderr, re.M)
    assert "不能合并" in result.stdout


def test_unknown_revision_is_a_usage_error(repo):
    for rev in ("no-such-branch", "--output=/tmp/x", ""):
        result = run(repo, rev)
        assert result.exit_code == 2, (rev, result.output)
    with pytest.raises(GitError):
        diff(repo / "content", "origin/main")


def test_outside_a_repository_is_a_usage_error(base_content):
    with pytest.raises(GitError):
        diff(base_content, "HEAD")


def test_a_broken_file_on_either_side_is_reported_not_a_crash(repo):
    station = repo / "content/stations/test-station-a.yaml"
    good = station.read_text(encoding="utf-8")
    station.write_text("id: [unclosed\n", encoding="utf-8")
    result = diff(repo / "content", "HEAD")
    assert [(c.id, c.change) for c in result.changes] == [("test-station-a", "unreadable")]
    git(repo, "commit", "-qam", "break it")
    station.write_text(good, encoding="utf-8")
    result = diff(repo / "content", "HEAD")
    assert [(c.id, c.change) for c in result.changes] == [("test-station-a", "unreadable")]
    assert run(repo, "HEAD", "--format", "markdown").exit_code == 0


def test_content_in_a_subfolder_and_other_files_are_ignored(tmp_path, base_content):
    root = tmp_path / "repo"
    shutil.copytree(base_content, root / "data" / "content")
    (root / "README.md").parent.mkdir(exist_ok=True)
    (root / "README.md").write_text("x", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    edit(root / "data/content/kinds/test-kind.yaml", "marker: ", "color: \"#123456\"\nmarker: ")
    (root / "README.md").write_text("y", encoding="utf-8")
    result = diff(root / "data" / "content", "HEAD")
    assert [(c.kind, c.id, c.path) for c in result.changes] == [
        ("kinds", "test-kind", "data/content/kinds/test-kind.yaml")]


UNSAFE = "x|y `z` <img src=x onerror=alert(1)> [a](https://evil.example) ![i](https://evil.example/p.png)\nnext"


def _outside_code(md: str) -> str:
    """The Markdown with every code span removed: what a renderer would interpret."""
    return re.sub(r"(`+) .*? \1", "", md)


def test_markdown_summary_shows_data_only_inside_code_spans(repo):
    edit(repo / "content/stations/test-station-a.yaml", "name: 测试驿站甲", f"name: {UNSAFE!r}".replace("'", '"')
         .replace("\n", "\\n"))
    md = run(repo, "HEAD", "--format", "markdown").stdout
    outside = _outside_code(md)
    for bad in ("<img", "](", "https://", "evil", "onerror"):
        assert bad not in outside
    row = next(line for line in md.splitlines() if "` name `" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # the data's own | is escaped: the row keeps its 4 cells
    assert "\n" not in row and "⏎" in row


def test_code_span_survives_backticks_and_control_characters():
    assert diff_report.code("a`b") == "`` a`b ``"
    assert diff_report.code("``x") == "``` ``x ```"
    assert diff_report.code("a|b") == "` a\\|b `"
    assert "\x1b" not in diff_report.code("\x1b[31mred") and "\\u001b" in diff_report.code("\x1b[31mred")
    assert "\x1b" not in diff_report.show("\x1b]0;title\x07")


def test_field_changes_are_compact_for_nested_values():
    old = {"phones": [{"number": "1"}], "location": {"lat": 1.0, "lon": 2.0}, "sources": [{"title": "a"}]}
    new = {"phones": [{"number": "2"}], "location": {"lat": 1.0, "lon": 3.0},
           "sources": [{"title": "a"}, {"title": "b"}]}
    changes = {c.field: c for c in field_changes(old, new)}
    assert set(changes) == {"phones[0].number", "location.lon", "sources"}
    assert diff_report.show(changes["sources"].new) == "[{title: a}, {title: b}]"
    assert diff_report.show(None) == diff_report.show(MISSING) == "（无）"
    assert diff_report.show("x" * 500).endswith("…") and len(diff_report.show("x" * 500)) == diff_report.MAX_VALUE
