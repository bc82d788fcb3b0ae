"""Completes ninja's OpenAPI 3.1 document: every operation lists its error responses (problem
documents), its response headers and, for reads, 304 Not Modified."""

from copy import deepcopy

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "An RFC 7807 problem document.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"location": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
ERRORS = {
    "400": "Rejected before reaching the API (control characters in the address or query, "
    "malformed length); the site-wide request filter answers with a page. On a list that takes "
    "`cursor`: a cursor that cannot be used (problem document, `reason` says why).",
    "401": "Authentication required (operations that need a session or a token).",
    "403": "Forbidden: not one of your partnerships, or the CSRF token is missing.",
    "404": "Not found or not published.",
    "422": "A parameter or the body is not valid; `errors` lists each problem.",
    "429": "Too many requests from this client; retry after `Retry-After` seconds.",
    "500": "Server error (logged).",
}
PUBLIC_ERRORS = ("400", "404", "422", "429", "500")
HEADERS = {
    "ETag": {"description": "Strong validator of the body.", "schema": {"type": "string"}},
    "Content-Language": {"description": "Language of the content.", "schema": {"type": "string"}},
}


def _problem_response(description: str, retry: bool) -> dict:
    response = {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    if retry:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        }
    return response


def document_common_responses(schema: dict) -> dict:
    """Add the shared responses to every operation of `schema` (returns a new dict)."""
    schema = deepcopy(dict(schema))
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            _complete_operation(method, operation)
    return schema


def _complete_operation(method: str, operation: dict) -> None:
    # ninja keys responses by int; OpenAPI wants strings
    responses = {str(code): value for code, value in operation.get("responses", {}).items()}
    operation["responses"] = responses
    codes = ERRORS if operation.get("security") else PUBLIC_ERRORS
    for code in codes:
        responses.setdefault(code, _problem_response(ERRORS[code], retry=code == "429"))
    # The request filter (core.middleware) answers 400 before ninja does, as an HTML page.
    responses["400"]["content"]["text/html"] = {"schema": {"type": "string"}}
    for code, response in responses.items():
        if code.startswith("2"):
            response.setdefault("headers", {}).update(deepcopy(HEADERS))
    if method == "get":
        responses.setdefault(
            "304",
            {
                "description": "Not modified (If-None-Match matched).",
                "headers": {"ETag": HEADERS["ETag"]},
            },
        )
        _document_if_none_match(operation)


def _document_if_none_match(operation: dict) -> None:
    parameters = operation.setdefault("parameters", [])
    if any(p.get("name") == "If-None-Match" for p in parameters):
        return
    parameters.append(
        {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "An ETag from an earlier response: 304 when unchanged.",
            "schema": {"type": "string"},
        }
    )
