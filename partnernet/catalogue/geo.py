"""Boundaries for the map: Swedish counties and Ukrainian oblasts, simplified (pure functions).

`python -m partnernet.catalogue.geo` rewrites static/catalogue/geo/countries.geojson from
partnernet/data/geo (small: coordinates rounded to 0.01°, Douglas-Peucker simplified).
"""

import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "data" / "geo"
TARGET = HERE / "static" / "catalogue" / "geo" / "countries.geojson"
TOLERANCE = 0.03


def _distance(p, a, b) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def simplify(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas-Peucker: the fewest points that stay within `tolerance` of the line."""
    if len(points) < 3:
        return points
    index, furthest = 0, 0.0
    for i in range(1, len(points) - 1):
        d = _distance(points[i], points[0], points[-1])
        if d > furthest:
            index, furthest = i, d
    if furthest <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def _ring(ring: list) -> list | None:
    rounded = [[round(x, 2), round(y, 2)] for x, y in simplify([tuple(p[:2]) for p in ring])]
    return rounded if len(rounded) >= 4 else None


def _polygons(geometry: dict) -> list:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    result = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring) for ring in polygon) if r]
        if rings:
            result.append(rings)
    return result


def build() -> dict:
    features = []
    for name, country, label in (
        ("se_counties", "SE", "county_name"),
        ("ua_oblasts", "UA", "name_uk"),
    ):
        data = json.loads((SOURCE / f"{name}.geojson").read_text(encoding="utf-8"))
        for feature in data["features"]:
            polygons = _polygons(feature["geometry"])
            if polygons:
                features.append(
                    {
                        "type": "Feature",
                        "properties": {"country": country, "name": feature["properties"][label]},
                        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                    }
                )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    TARGET.write_text(
        json.dumps(build(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(TARGET, TARGET.stat().st_size)
