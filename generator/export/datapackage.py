"""datapackage.json: a Frictionless (Tabular) Data Package describing every CSV file.

Each resource carries its Table Schema (from the same Column list that wrote the
CSV), its dialect and encoding, and its size and SHA-256, so `frictionless
validate` checks both the structure and that the file is the one described.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from ..model import Catalog
from .csvfile import DIALECT
from .fields import Table
from .files import Written

LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}


def license_descriptor(license_id: str) -> dict:
    title, url = LICENSES.get(license_id, (license_id, ""))
    d = {"name": license_id, "title": title}
    if url:
        d["path"] = url
    return d


def created(build_date: date) -> str:
    """The build date as an RFC 3339 datetime at local midnight (never the wall clock)."""
    return f"{build_date.isoformat()}T00:00:00+08:00"


def source_title(s) -> str:
    via = f"，{s.via}转载" if s.via else ""
    return f"{s.publisher}《{s.title}》，{s.date}{via}"


MAX_SOURCES = 50  # a national network cites thousands: the per-record tables list them all


class Sources:
    """Distinct sources cited by stations and policies, counted as the records come."""

    def __init__(self):
        self.count: Counter = Counter()
        self.found: dict[tuple[str, str], dict] = {}

    def add(self, records) -> None:
        for record in records:
            for s in record.sources:
                d = {"title": source_title(s)}
                if s.url:
                    d["path"] = s.url
                key = (d["title"], d.get("path", ""))
                self.found[key] = d
                self.count[key] += 1

    def listed(self, limit: int | None = MAX_SOURCES) -> tuple[list[dict], int]:
        """As Data Package sources, most cited first (then by title), at most `limit` of them;
        and how many distinct sources there are in all."""
        ordered = sorted(self.found, key=lambda k: (-self.count[k], k))
        return [self.found[k] for k in ordered[:limit]], len(ordered)


def content_sources(catalog: Catalog, limit: int | None = MAX_SOURCES) -> tuple[list[dict], int]:
    """The catalogue's sources (see Sources.listed). station_sources.csv and policy_sources.csv
    hold every source of every record."""
    sources = Sources()
    sources.add(catalog.stations)
    sources.add(catalog.policies)
    return sources.listed(limit)


def csv_resource(table: Table, file: Written, folder: str) -> dict:
    """`file` as published in `folder` (the descriptor's): for a gzipped file (path ending in .gz)
    its bytes and hash are of the compressed file, as frictionless checks them."""
    path = file.path.removeprefix(folder)
    resource = {
        "name": table.name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": f"{table.zh} / {table.en}",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": dict(DIALECT),
        "bytes": file.size,
        "hash": "sha256:" + file.sha256,
        "schema": table.schema(),
    }
    if path.endswith(".gz"):
        resource["compression"] = "gz"
    return resource


def package(name: str, title: str, description: str, resources: list[dict], *, license_id: str,
            sources: list[dict], build_date: date, homepage: str = "", keywords: tuple[str, ...] = ()) -> dict:
    d = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
    }
    if homepage:
        d["homepage"] = homepage
    d.update({
        "created": created(build_date),
        "languages": ["zh", "en"],
        "keywords": list(keywords),
        "licenses": [license_descriptor(license_id)],
        "sources": sources,
        "contributors": [{"title": "西固驿站开放数据 / Xigu Stations Open Data", "role": "publisher"}],
        "resources": resources,
    })
    return d
