"""Reading the map's GeoJSON in tests: points by code, lines by pair."""

import json


def read(client, path: str) -> tuple[dict, dict, dict]:
    """(points by code, lines by (a, b), the whole collection) of the GeoJSON at `path`."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    points, lines = {}, {}
    for feature in collection["features"]:
        properties = feature["properties"]
        if feature["geometry"]["type"] == "Point":
            points[properties["code"]] = properties
        else:
            lines[(properties["a"], properties["b"])] = properties
    return points, lines, collection
