"""stations.geojson (RFC 7946): WGS-84, [longitude, latitude], one Feature per station.

The properties are the columns of stations.csv (minus the coordinates), so the
map layer and the table agree. A station without a location keeps its Feature
with a null geometry, which RFC 7946 allows ("unlocated"). One Feature per line
(see `jsonfile` for why).
"""
from __future__ import annotations

from .fields import json_number
from .tables import STATIONS

_SKIP = {"lat", "lon"}
HEAD = {"type": "FeatureCollection"}


def features(rows: list[tuple]) -> list[dict]:
    """The Features of rows of stations.csv."""
    columns = STATIONS.columns
    names = [c.name for c in columns]
    props = [(i, c.name, c.type in ("number", "integer")) for i, c in enumerate(columns) if c.name not in _SKIP]
    id_, lat, lon = names.index("id"), names.index("lat"), names.index("lon")
    out = []
    for row in rows:  # already sorted by id
        geometry = None
        if row[lat] is not None and row[lon] is not None:
            geometry = {"type": "Point", "coordinates": [json_number(row[lon]), json_number(row[lat])]}
        properties = {name: json_number(row[i]) if number else row[i] for i, name, number in props}
        out.append({"type": "Feature", "id": row[id_], "geometry": geometry, "properties": properties})
    return out
