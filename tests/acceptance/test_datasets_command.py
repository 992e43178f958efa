"""`yizhan datasets`: the site's open data without the site, replaced only when complete."""
from __future__ import annotations

import os
import subprocess

from test_build import EPOCH, YIZHAN, built, digest, make_project


def datasets(config, out, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIZHAN_", "TIANDITU_"))}
    env.update(SOURCE_DATE_EPOCH=EPOCH, PYTHONIOENCODING="utf-8")
    return subprocess.run([str(YIZHAN), "datasets", "-f", str(config), "-d", str(out), *args], cwd=config.parent,
                          env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_datasets_are_byte_for_byte_the_sites_data_and_schema_folders(tmp_path):
    config = make_project(tmp_path / "p")
    site = built(config, tmp_path / "site")
    done = datasets(config, tmp_path / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    published = {path: sha for path, sha in site.items() if path.startswith(("data/", "schema/"))
                 and path != "data/index.html"}
    assert len(published) > 30
    assert digest(tmp_path / "out") == published
    assert f"{len(published)} 个文件" in done.stdout


def test_failed_datasets_exit_1_with_location_and_leave_the_folder_as_it_was(tmp_path):
    config = make_project(tmp_path / "p")
    out = tmp_path / "out"
    assert datasets(config, out).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    station = tmp_path / "p" / "content" / "stations" / "chenping-linggong.yaml"
    station.write_text(station.read_text(encoding="utf-8") + 'name: "不成对的引号\n', encoding="utf-8")

    done = datasets(config, out)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "chenping-linggong.yaml:" in output and "Traceback" not in output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert sorted(q.name for q in tmp_path.iterdir()) == ["out", "p"]  # no half-written folder


def test_a_config_without_the_plugin_is_reported_not_a_traceback(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  name: material\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    done = datasets(config, tmp_path / "out")
    assert done.returncode == 1
    assert "mkdocs.yml:1:1" in done.stdout and "yizhan" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "out").exists()
