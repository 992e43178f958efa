"""The benchmark: fake content is deterministic, clearly fake and valid; a 100-station run records every figure.

Targets are checked by the benchmark's figures (bench/results.json), never by timed tests.
"""
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.bench import browser
from generator.bench.fake import BASE_DATE, FAKE_MARKER, FAKE_NOTE, write_fake_content
from generator.bench.child import run_child
from generator.bench.report import format_table, update_readme
from generator.bench.run import REQUIRED_KEYS, run_bench
from generator.bench.weight import page_weight
from generator.check import check_site
from generator.config import SiteConfig

ROOT = Path(__file__).resolve().parents[2]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fake_content_is_deterministic_for_a_seed(tmp_path):
    a = write_fake_content(tmp_path / "a", 50, seed=7, source=ROOT / "content")
    b = write_fake_content(tmp_path / "b", 50, seed=7, source=ROOT / "content")
    c = write_fake_content(tmp_path / "c", 50, seed=8, source=ROOT / "content")
    assert _tree(a) == _tree(b)
    assert _tree(a) != _tree(c)
    assert len(list((a / "stations").glob("*.yaml"))) == 50


def test_fake_content_validates_without_errors(tmp_path):
    content = write_fake_content(tmp_path / "content", 50, source=ROOT / "content")
    result = check_site(SiteConfig(content_dir=content, today=BASE_DATE))
    assert result.errors == [], [str(p) for p in result.errors[:5]]
    assert result.catalog is not None and len(result.catalog.stations) == 50


def test_fake_stations_are_unmistakably_fake(tmp_path):
    content = write_fake_content(tmp_path / "content", 50, source=ROOT / "content")
    names = set()
    for path in sorted((content / "stations").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=")
        data = yaml.safe_load(text)
        assert data["id"] == path.stem and data["id"].startswith("fake-")
        assert data["name"].startswith(FAKE_MARKER)
        assert FAKE_NOTE in data["description"]
        assert [s["title"] for s in data["sources"]] == ["虚构测试数据"]
        if "address" in data:
            assert "虚构" in data["address"]
        names.add(data["name"])
    assert len(names) == 50  # unique names: no near-duplicate warnings by construction


def test_a_phase_past_its_timeout_is_a_note_not_a_crash(tmp_path):
    phase = run_child([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "slow.log", timeout=0.5)
    assert phase.seconds is None and "timeout" in phase.note


def test_a_failing_phase_is_recorded_with_its_output(tmp_path):
    phase = run_child([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"], tmp_path / "f.log", timeout=30)
    assert phase.seconds is None and "exit 3" in phase.note and "boom" in phase.note


def test_page_weight_counts_local_assets_once_gzipped_and_skips_external_ones(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "x.css").write_text("body{color:red}" * 50)
    (tmp_path / "assets" / "d.json").write_text("[1,2,3]")
    html = ('<link rel="stylesheet" href="../../assets/x.css"><link rel="stylesheet" href="../../assets/x.css?v=1">'
            '<script src="https://cdn.example/x.js"></script><div data-src="../../assets/d.json"></div>')
    (tmp_path / "a" / "b" / "index.html").write_text(html)
    weight = page_weight(tmp_path, "a/b/index.html")
    assert set(weight["detail"]) == {"a/b/index.html", "assets/x.css", "assets/d.json"}
    assert weight["detail"]["assets/x.css"] == len(gzip.compress((tmp_path / "assets" / "x.css").read_bytes(), 6, mtime=0))
    assert weight["bytes"] == sum(weight["detail"].values())


def test_readme_block_between_the_markers_is_replaced(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# 标题\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\n尾部\n", encoding="utf-8")
    rows = [{"stations": 100, "build_s": 1.5, "notes": ["build: 超时 timeout after 1 s"]}]
    assert update_readme(readme, rows, "yizhan bench --sizes 100")
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "`yizhan bench --sizes 100`" in text and text.endswith("尾部\n")
    assert "| 100 |" in text


@pytest.fixture(scope="module")
def bench_100(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    results = tmp / "results.json"
    (tmp / "out" / "100" / "site" / "from-the-last-run").mkdir(parents=True)
    rows = run_bench([100], tmp / "out", results, root=ROOT, readmes=[], timeout=600)
    return rows, results


def test_the_last_runs_folders_are_gone_after_a_run(bench_100):
    _, results = bench_100
    out = results.parent / "out"
    assert not (out / "100" / "site" / "from-the-last-run").exists()
    assert (out / "100" / "site" / "index.html").exists()
    assert [p.name for p in out.iterdir()] == ["100"]  # nothing set aside is left behind


def test_bench_at_100_stations_writes_every_required_figure(bench_100):
    rows, results = bench_100
    saved = json.loads(results.read_text(encoding="utf-8"))
    assert isinstance(saved, list) and len(saved) == 1
    row = saved[0]
    assert row == rows[0]
    missing = [k for k in REQUIRED_KEYS if k not in row]
    assert not missing
    assert row["stations"] == 100 and row["notes"] == [], row["notes"]
    for key in ("validate_s", "datasets_s", "generate_s", "build_s", "baseline_mkdocs_s", "peak_rss_mb",
                "peak_tree_mb"):
        assert isinstance(row[key], float) and row[key] > 0, key
    assert row["peak_tree_mb"] >= row["peak_rss_mb"] * 0.5  # sampled, so it may miss the very top
    phases = [row[f"{phase}_peak_tree_mb"] for phase in ("validate", "datasets", "generate", "build")]
    assert row["peak_tree_mb"] == max(phases)
    assert row["site_files"] > 100 and row["site_bytes"] > 0
    assert 0 < row["search_index_bytes"] < row["site_bytes"]
    for key in ("home_page_bytes", "station_page_bytes", "search_first_query_bytes"):
        assert row[key] > 0, key
    assert 0 < row["search_first_answer_ms"] < 60_000  # Chromium searched the built site and found results
    assert "pagefind/pagefind-entry.json" in row["search_first_query_detail"]
    assert any(k.startswith("pagefind/index/") for k in row["search_first_query_detail"])  # the heaviest word
    assert "stations/fake-000050/index.html" in row["station_page_detail"]
    # `yizhan datasets` wrote the site's open data on its own
    assert (results.parent / "out" / "100" / "datasets" / "data" / "xigu-stations.xlsx").is_file()
    assert row["ratio_build_vs_baseline"] == pytest.approx(row["build_s"] / row["baseline_mkdocs_s"], rel=0.01)
    assert row["build_ms_per_station"] == pytest.approx(row["build_s"] * 10, rel=0.01)


def test_bench_table_shows_each_size(bench_100):
    rows, _ = bench_100
    table = format_table(rows)
    assert "100" in table and "build" in table and "baseline" in table


def test_profile_summary_lists_real_work_not_the_cli_wrappers(tmp_path):
    import cProfile

    from generator.bench.report import profile_top

    def busy():
        return sum(i * i for i in range(20000))

    prof = tmp_path / "p.prof"
    cProfile.runctx("busy()", {"busy": busy}, {}, str(prof))
    text = profile_top(prof, limit=5)
    assert "busy" in text and "by cumulative time" in text and "by own time" in text
    assert "builtins.exec" not in text


def test_a_phases_peak_memory_is_its_own_not_the_benchmarks(tmp_path):
    # Linux gives a program the high-water mark of the process that started it: a benchmark grown
    # to 300 MB (by pytest's own tests, or by writing 10,000 fake stations) must not show in a phase
    code = ("import sys; from pathlib import Path; from generator.bench.child import run_child\n"
            "ballast = b'x' * (300 << 20)\n"
            "phase = run_child([sys.executable, '-c', 'import time; time.sleep(0.5)'], Path(sys.argv[1]), 60)\n"
            "print(phase.peak_rss_mb)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "phase.log")], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert 0 < float(out.stdout) < 100


def test_first_search_time_is_left_out_with_a_reason_without_a_browser(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    assert browser.first_search_ms(tmp_path) == (None, f"no Chromium at {tmp_path / 'no-chromium'} (make test installs it)")


def test_the_station_page_weighed_is_its_sheet_on_a_site_of_town_sheets(tmp_path):
    """A site over station_pages_max has no page per station: the bench weighs the sheet that shows it."""
    from generator.bench.weight import station_page_of

    table = "id,name,url\r\nfake-000001,甲,https://example.org/x/stations/town_ab_1/#fake-000001\r\n"
    (tmp_path / "data").mkdir()
    (tmp_path / "data/stations.csv.gz").write_bytes(gzip.compress(("\ufeff" + table).encode("utf-8")))
    assert station_page_of(tmp_path, "fake-000001") == "stations/town_ab_1/index.html"
    assert station_page_of(tmp_path, "fake-000002") is None
    (tmp_path / "stations/fake-000002").mkdir(parents=True)
    (tmp_path / "stations/fake-000002/index.html").write_text("<html></html>", encoding="utf-8")
    assert station_page_of(tmp_path, "fake-000002") == "stations/fake-000002/index.html"
