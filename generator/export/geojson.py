"""stations.geojson (RFC 7946): WGS-84, [longitude, latitude], one Feature per station.

The properties are the columns of stations.csv (minus the coordinates), so the
map layer and the table agree. A station without a location keeps its Feature
with a null geometry, which RFC 7946 allows ("unlocated").
"""
from __future__ import annotations

from .jsonfile import dumps
from .fields import Context, json_number
from .tables import STATIONS

_SKIP = {"lat", "lon"}


def stations_geojson(ctx: Context, rows: list[tuple], meta: dict) -> bytes:
    names = [c.name for c in STATIONS.columns]
    features = []
    for row in rows:  # already sorted by id
        props = {}
        for column, value in zip(STATIONS.columns, row):
            if column.name in _SKIP:
                continue
            props[column.name] = json_number(value) if column.type in ("number", "integer") else value
        rec = dict(zip(names, row))
        geometry = None
        if rec["lat"] is not None and rec["lon"] is not None:
            geometry = {"type": "Point", "coordinates": [json_number(rec["lon"]), json_number(rec["lat"])]}
        features.append({"type": "Feature", "id": rec["id"], "geometry": geometry, "properties": props})
    return dumps({"type": "FeatureCollection", **meta, "features": features})
