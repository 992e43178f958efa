"""What a built site weighs: its files, and the gzipped bytes a visitor downloads for the home
page, a station page and a first search (from Pagefind's own data files)."""
from __future__ import annotations

import csv
import gzip
import io
import json
import posixpath
from html.parser import HTMLParser
from pathlib import Path

GZIP_LEVEL = 6  # a common server setting (nginx's default is 1, most CDNs use 5–6)


class _Refs(HTMLParser):
    """What a browser fetches for a page: stylesheets, scripts, images, and our data-src JSON."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.refs.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.refs.append(a["src"])
        if a.get("data-src"):
            self.refs.append(a["data-src"])


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def _local(page: str, ref: str) -> str | None:
    if ref.startswith(("http:", "https:", "//", "data:", "blob:")):
        return None
    ref = ref.split("#")[0].split("?")[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), ref))


def page_weight(site: Path, page: str) -> dict:
    """Gzipped bytes of a page and every local file it loads, each counted once."""
    html = (site / page).read_bytes()
    parser = _Refs()
    parser.feed(html.decode("utf-8", errors="replace"))
    detail = {page: _gz(html)}
    missing = []
    for ref in parser.refs:
        path = _local(page, ref)
        if path is None or path in detail:
            continue
        if (site / path).is_file():
            detail[path] = _gz((site / path).read_bytes())
        else:
            missing.append(path)
    return {"bytes": sum(detail.values()), "detail": detail, "missing": missing}


def search_weight(site: Path) -> dict:
    """An upper bound on what the first one-word search downloads from Pagefind's bundle.

    The search script, Pagefind's loader and wasm, and for each index part (see
    generator/search_index.py) its entry file and metadata; then the index chunks
    that one word needs, taking the word whose chunks weigh most (a word's postings
    live in one chunk per part); then the ten largest fragments (the search page
    shows ten results). Pagefind's own files are stored gzipped, so their size on
    disk is what travels.
    """
    bundle = site / "pagefind"
    parts_file = bundle / "yizhan-parts.json"
    later = json.loads(parts_file.read_text(encoding="utf-8")) if parts_file.is_file() else []
    parts = [bundle, *(bundle / p for p in later)]
    files: list[Path] = [*bundle.glob("wasm.*.pagefind"), parts_file]
    fragments: list[Path] = []
    for part in parts:
        files += [part / "pagefind-entry.json", *part.glob("*.pf_meta")]
        fragments += part.glob("fragment/*.pf_fragment")
    try:
        files += heaviest_word_chunks(parts)
    except ImportError:  # cbor2 comes with the test extras (`make bench`); without it, a looser bound
        files += [max(part.glob("index/*.pf_index"), key=lambda p: p.stat().st_size) for part in parts
                  if any(part.glob("index/*.pf_index"))]
    fragments.sort(key=lambda p: p.stat().st_size)
    files += fragments[-10:]
    detail = {p.relative_to(site).as_posix(): p.stat().st_size for p in files if p.is_file()}
    for plain in ("pagefind/pagefind.js", "assets/yizhan/search.js"):
        if (site / plain).is_file():
            detail[plain] = _gz((site / plain).read_bytes())
    return {"bytes": sum(detail.values()), "detail": detail, "documents": len(fragments)}


def heaviest_word_chunks(parts: list[Path]) -> list[Path]:
    """The index chunks, one per part, that the heaviest single word would load.

    Each part's metadata lists its chunks as word ranges [from, to]. A word falls in
    at most one range per part, so the heaviest word sits at the start of some range:
    trying every range start finds it.
    """
    ranges = []  # per part: [(from, to, path)]
    for part in parts:
        meta = next(part.glob("*.pf_meta"), None)
        ranges.append([] if meta is None else
                      [(lo, hi, part / "index" / f"{h}.pf_index") for lo, hi, h in _pagefind_meta(meta)[2]])
    best: list[Path] = []
    best_bytes = -1
    for word in {lo for rs in ranges for lo, _, _ in rs}:
        hit = [path for rs in ranges for lo, hi, path in rs if lo <= word <= hi and path.is_file()]
        weight = sum(p.stat().st_size for p in hit)
        if weight > best_bytes:
            best, best_bytes = hit, weight
    return best


def read_pagefind(path: Path) -> bytes:
    """What one of Pagefind's data files holds: they are gzipped, and start with a signature."""
    data = gzip.decompress(path.read_bytes())
    signature = b"pagefind_dcd"
    if not data.startswith(signature):
        raise ValueError(f"{path}: not a Pagefind data file")
    return data[len(signature):]


def _pagefind_meta(path: Path) -> list:
    """Pagefind's metadata file: CBOR [version, pages, chunks, ...]."""
    import cbor2  # only the benchmark reads Pagefind's metadata

    return cbor2.loads(read_pagefind(path))


def station_page_of(site: Path, station_id: str) -> str | None:
    """The page that shows a station: its own, or on a site of town sheets (generator/sheets.py) its
    sheet, found as a developer would, in the datasets' url column."""
    own = f"stations/{station_id}/index.html"
    if (site / own).is_file():
        return own
    table = site / "data/stations.csv.gz"  # a site of sheets publishes it gzipped
    if not table.is_file():
        return None
    for row in csv.DictReader(io.StringIO(gzip.decompress(table.read_bytes()).decode("utf-8-sig"))):
        if row["id"] == station_id:
            path = row["url"].split("#")[0]
            return path[path.index("stations/"):] + "index.html"  # the url is absolute when the site's is set
    return None


def site_stats(site: Path, station_id: str | None) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    stats = {"site_files": len(files), "site_bytes": sum(p.stat().st_size for p in files)}
    bundle = site / "pagefind"
    index = [p for p in bundle.rglob("*") if p.is_file() and p.name.endswith((".pf_index", ".pf_fragment", ".pf_meta"))]
    stats["search_index_bytes"] = sum(p.stat().st_size for p in index) if index else None
    home = page_weight(site, "index.html")
    stats["home_page_bytes"], stats["home_page_detail"] = home["bytes"], home["detail"]
    station_page = station_page_of(site, station_id) if station_id else None
    if station_page and (site / station_page).is_file():
        st = page_weight(site, station_page)
        stats["station_page_bytes"], stats["station_page_detail"] = st["bytes"], st["detail"]
    else:
        stats["station_page_bytes"], stats["station_page_detail"] = None, {}
    if index:
        s = search_weight(site)
        stats["search_first_query_bytes"], stats["search_first_query_detail"] = s["bytes"], s["detail"]
        stats["search_documents"] = s["documents"]
    else:
        stats["search_first_query_bytes"], stats["search_first_query_detail"] = None, {}
    return stats
