"""Contract testing: an app's OpenAPI document, exchanges checked against it,
what they covered, and JSON Schema checks of any JSON.

The validation is openapi-core's (OpenAPI 3.0 and 3.1: ``nullable``,
``oneOf`` with discriminators, ``$ref``, parameters by style, bodies by media
type) and jsonschema's, both from the optional ``openapi`` extra; this module
imports them only when a document or schema is used, so that the library
works without them. What it adds is the part openapi-core leaves to its
callers: finding the document, naming the operation an exchange belongs to,
recording the status codes each operation answered, and failure messages that
give the operation, the JSON path of the offending value and what the schema
expects.

Nothing here knows Robot Framework: the keywords (:mod:`RobotASGI.keywords.contracts`)
log and raise.
"""
from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

import requests

from .errors import ArgumentError, ExtraMissing, OpenAPIDocumentError

#: How users get the optional dependencies.
EXTRA = 'pip install "robotframework-robotasgi[openapi]"'

#: The document URL paths ``openapi=auto`` tries, in order: FastAPI's, then Litestar's.
AUTO_PATHS = ("/openapi.json", "/schema/openapi.json")

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def require_extra(feature: str, module: str = "openapi_core") -> Any:
    """The module ``module`` of the ``openapi`` extra, or an error saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ExtraMissing(
            f"{feature} needs the optional 'openapi' extra, which is not installed "
            f"(importing {module} failed: {exc}). Install it with: {EXTRA}"
        ) from None


def extra_installed() -> bool:
    """True when the ``openapi`` extra can be imported."""
    try:
        require_extra("OpenAPI validation")
        require_extra("JSON Schema validation", "jsonschema")
    except ExtraMissing:
        return False
    return True


# -- finding the document ---------------------------------------------------------------
def load_document(source: str, client: requests.Session) -> Tuple[Dict[str, Any], str]:
    """The document ``source`` names and where it came from.

    ``source`` is a path naming an existing file (JSON, or YAML by its
    extension), a URL path starting with ``/`` fetched from the app through
    ``client``, or ``auto``: :data:`AUTO_PATHS` in turn.
    """
    if not isinstance(source, str) or not source.strip():
        raise ArgumentError(
            f"Invalid openapi {source!r}: give a file path, the document's URL path such as /openapi.json, or auto."
        )
    if os.path.isfile(source):
        return _read_file(source), source
    if source.strip().lower() == "auto":
        answers = []
        for path in AUTO_PATHS:
            document, answer = _fetch(client, path)
            if document is not None:
                return document, path
            answers.append(f"{path} ({answer})")
        raise OpenAPIDocumentError(
            f"Found no OpenAPI document at {' or '.join(answers)}: give openapi= the document's URL path or a file path."
        )
    if source.startswith("/"):
        document, answer = _fetch(client, source)
        if document is None:
            raise OpenAPIDocumentError(f"No OpenAPI document at {source}: {answer}.")
        return document, source
    raise ArgumentError(
        f"Invalid openapi {source!r}: it is not an existing file, nor a URL path starting with '/', nor auto."
    )


def _read_file(path: str) -> Dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise OpenAPIDocumentError(f"Cannot read the OpenAPI document {path}: {exc}") from None
    if path.lower().endswith((".yaml", ".yml")):
        yaml = require_extra("Reading a YAML OpenAPI document", "yaml")
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise OpenAPIDocumentError(f"The OpenAPI document {path} is not valid YAML: {exc}") from None
    else:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise OpenAPIDocumentError(f"The OpenAPI document {path} is not valid JSON: {exc}") from None
    return _checked_document(document, path)


def _fetch(client: requests.Session, path: str) -> Tuple[Optional[Dict[str, Any]], str]:
    """The document at ``path``, or None and what the app answered."""
    response = client.get(path)
    if response.status_code != 200:
        return None, f"the app answered {response.status_code}"
    try:
        document = response.json()
    except ValueError:
        return None, f"the app answered with {response.headers.get('content-type', 'a body')}, not JSON"
    return _checked_document(document, path), "found"


def _checked_document(document: Any, where: str) -> Dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("openapi"), str):
        raise OpenAPIDocumentError(f"{where} is not an OpenAPI 3 document: it has no 'openapi' version field.")
    if not document["openapi"].startswith("3."):
        raise OpenAPIDocumentError(
            f"{where} is OpenAPI {document['openapi']}: only OpenAPI 3.0 and 3.1 documents are supported."
        )
    return document


# -- the document and its operations ----------------------------------------------------
@dataclass
class Operation:
    """One operation of the document: ``GET /pets/{pet_id}``."""

    method: str  # upper case
    template: str
    pattern: re.Pattern  # type: ignore[type-arg]
    declared: List[str]  # the response keys: "200", "4XX", "default"

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


class OpenAPIDocument:
    """An OpenAPI 3 document, ready to check exchanges against."""

    def __init__(self, document: Dict[str, Any], source: str) -> None:
        openapi_core = require_extra("OpenAPI validation")
        self.source = source
        self.version = str(document.get("openapi"))
        info: Dict[str, Any] = document["info"] if isinstance(document.get("info"), dict) else {}
        self.title = f"{info.get('title', 'untitled')} {info.get('version', '')}".strip()
        try:
            self._api = openapi_core.OpenAPI.from_dict(document)
        except Exception as exc:  # openapi-spec-validator's errors, of several types
            raise OpenAPIDocumentError(f"The OpenAPI document from {source} is not valid: {_one_line(exc)}") from None
        self.operations = list(_operations(document))
        self._prefixes = _server_prefixes(document)

    def describe(self) -> str:
        return f"OpenAPI {self.version} document '{self.title}' from {self.source}, {len(self.operations)} operations"

    def operation(self, method: str, url: str) -> Optional[Operation]:
        """The operation a request to ``url`` belongs to: concrete paths before templated ones."""
        path = urlsplit(url).path or "/"
        candidates = [path] + [path[len(prefix):] or "/" for prefix in self._prefixes if path.startswith(prefix + "/")]
        found = [
            op for op in self.operations
            if op.method == method.upper() and any(op.pattern.fullmatch(candidate) for candidate in candidates)
        ]
        return min(found, key=lambda op: op.template.count("{"), default=None)

    def request_problems(self, request: requests.PreparedRequest) -> Optional[str]:
        """What is wrong with ``request`` by the document, or None."""
        contrib = require_extra("OpenAPI validation", "openapi_core.contrib.requests")
        try:
            self._api.validate_request(contrib.RequestsOpenAPIRequest(request))
        except Exception as exc:
            return _describe_error(exc, "request")
        return None

    def response_violation(self, response: requests.Response) -> Optional[str]:
        """What is wrong with ``response`` by the document, or None. A response
        to a request that names no operation of the document is not checked."""
        request = response.request
        operation = self.operation(request.method or "GET", request.url or "/")
        if operation is None:
            return None
        contrib = require_extra("OpenAPI validation", "openapi_core.contrib.requests")
        try:
            if is_streamed(response):
                self._validate_head(contrib.RequestsOpenAPIRequest(request), _streamed_head(contrib, response))
            else:
                self._api.validate_response(contrib.RequestsOpenAPIRequest(request), contrib.RequestsOpenAPIResponse(response))
        except Exception as exc:
            if type(exc).__name__ == "ResponseNotFound":
                declared = ", ".join(operation.declared) or "none"
                return (
                    f"{operation.name} answered {response.status_code}, a status the operation does not declare "
                    f"(declared: {declared}) in the OpenAPI document from {self.source}."
                )
            return (
                f"{operation.name} answered {response.status_code}, which does not match the OpenAPI document "
                f"from {self.source}:\n"
                + _describe_error(exc, "response")
            )
        return None


    def _validate_head(self, request: Any, response: Any) -> None:
        """The status and headers of a response whose body is streamed, and
        not read: its body (and so its media type) is left unchecked."""
        shortcuts = require_extra("OpenAPI validation", "openapi_core.shortcuts")
        validators = require_extra("OpenAPI validation", "openapi_core.validation.response.validators")
        name = "V31ResponseHeadersValidator" if self.version.startswith("3.1") else "V30ResponseHeadersValidator"
        shortcuts.validate_response(request, response, spec=self._api.spec, cls=getattr(validators, name))


def _streamed_head(contrib: Any, response: requests.Response) -> Any:
    """openapi-core's view of ``response`` without its body: openapi-core
    reads ``data`` even to check that the object is a response, which would
    read a streamed body to its end (and wait on an endless one)."""

    class StreamedHead(contrib.RequestsOpenAPIResponse):  # type: ignore[misc,name-defined]
        @property
        def data(self) -> bytes:
            return b""

    return StreamedHead(response)


def is_streamed(response: requests.Response) -> bool:
    """Whether the response's body is streamed and not read (`Open Stream`)."""
    return bool(response.raw) and not getattr(response, "_content_consumed", True)


def _operations(document: Dict[str, Any]) -> Iterable[Operation]:
    paths = document.get("paths") or {}
    for template, item in paths.items():
        if not isinstance(item, dict):
            continue
        pattern = re.compile(
            "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}/]+\})", template))
        )
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                declared = [str(key) for key in (operation.get("responses") or {})]
                yield Operation(method.upper(), template, pattern, declared)


def _server_prefixes(document: Dict[str, Any]) -> List[str]:
    """The path parts of the document's server URLs (``/api`` of ``https://x/api``)."""
    prefixes = []
    for server in document.get("servers") or []:
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            prefix = urlsplit(server["url"]).path.rstrip("/")
            if prefix and "{" not in prefix:
                prefixes.append(prefix)
    return prefixes


# -- failure messages -------------------------------------------------------------------
def _describe_error(exc: BaseException, what: str) -> str:
    """openapi-core's error, its schema errors (if any) one per line."""
    schema_errors: Any = None
    seen = set()
    cause: Optional[BaseException] = exc
    while cause is not None and id(cause) not in seen and not schema_errors:
        seen.add(id(cause))
        schema_errors = getattr(cause, "schema_errors", None)
        cause = cause.__cause__ or cause.__context__
    if not schema_errors:
        return f"  {_one_line(exc)}"
    head = str(exc).split(": Value ")[0]  # "Invalid query parameter: limit", not the whole value
    if head in ("", type(exc).__name__):  # "InvalidData": the response body
        head = f"{what} body"
    return "\n".join([f"  {head}:"] + [f"    {line}" for line in describe_schema_errors(schema_errors)])


def describe_schema_errors(errors: Iterable[Any], where: str = "") -> List[str]:
    """One line per jsonschema error: the JSON path, the problem, what the schema expects.

    For a value that matches none of the alternatives of a ``oneOf`` or
    ``anyOf``, the errors of the closest alternative are given (see
    :func:`_closest_alternative`)."""
    lines = []
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), str(e.message))):
        if getattr(error, "context", None):
            note = f" (in the closest of the {error.validator} alternatives, none of which matched)"
            lines += [line + note for line in describe_schema_errors(_closest_alternative(error.context), where)]
            continue
        prefix = f"{where} " if where else ""
        lines.append(f"{prefix}{error.json_path}: {error.message} - the schema expects {_expectation(error.validator, error.validator_value)}")
    return lines


def _closest_alternative(context: List[Any]) -> List[Any]:
    """The errors of the alternative a value most likely meant: not one whose tag
    (a ``const``, or an ``enum`` of one value) it fails, then the one with the
    fewest errors, then the deepest."""
    alternatives: Dict[Any, List[Any]] = {}
    for error in context:
        alternatives.setdefault(error.relative_schema_path[0] if error.relative_schema_path else 0, []).append(error)

    def distance(errors: List[Any]) -> Tuple[bool, int, int]:
        wrong_tag = any(
            e.validator == "const" or (e.validator == "enum" and isinstance(e.validator_value, list) and len(e.validator_value) == 1)
            for e in errors
        )
        return wrong_tag, len(errors), -max(len(e.absolute_path) for e in errors)

    return min(alternatives.values(), key=distance)


def _expectation(validator: str, value: Any) -> str:
    text = json.dumps(value, default=str)
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{validator}: {text}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 400:
        text = text[:397] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# -- coverage ---------------------------------------------------------------------------
@dataclass
class Contract:
    """A client's document and the status codes each of its operations answered."""

    document: OpenAPIDocument
    client: str = ""  # the alias of the client whose exchanges these are
    seen: Dict[str, List[int]] = field(default_factory=dict)
    undocumented: Dict[str, List[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.seen = {op.name: [] for op in self.document.operations}

    def record(self, response: requests.Response) -> Optional[Operation]:
        """Notes which operation answered with which status; returns the operation."""
        request = response.request
        method, url = request.method or "GET", request.url or "/"
        operation = self.document.operation(method, url)
        book = self.seen if operation is not None else self.undocumented
        name = operation.name if operation is not None else f"{method} {urlsplit(url).path}"
        statuses = book.setdefault(name, [])
        if response.status_code not in statuses:
            statuses.append(response.status_code)
            statuses.sort()
        return operation

    def coverage(self) -> Dict[str, List[int]]:
        """``METHOD /template`` -> the status codes seen, for every operation of the document."""
        return {name: list(statuses) for name, statuses in self.seen.items()}

    def report(self) -> str:
        """The coverage as log text: a line per operation, marking those never exercised."""
        exercised = sum(1 for statuses in self.seen.values() if statuses)
        lines = [
            f"OpenAPI coverage of client '{self.client}': {exercised} of {len(self.seen)} operations exercised "
            f"({self.document.describe()})."
        ]
        declared = {op.name: op.declared for op in self.document.operations}
        for name, statuses in self.seen.items():
            if not statuses:
                lines.append(f"- {name}: NEVER EXERCISED")
                continue
            line = f"- {name}: {', '.join(map(str, statuses))}"
            missing = [code for code in declared.get(name, []) if not _covered(code, statuses)]
            if missing:
                line += f" (declared, never answered: {', '.join(missing)})"
            lines.append(line)
        if self.undocumented:
            lines.append("Requests to no operation of the document:")
            lines += [f"- {name}: {', '.join(map(str, statuses))}" for name, statuses in self.undocumented.items()]
        return "\n".join(lines)


def _covered(declared: str, statuses: List[int]) -> bool:
    if declared == "default":
        return True  # stands for every other status: never reported as missing
    if declared.upper().endswith("XX"):
        return any(str(code).startswith(declared[0]) for code in statuses)
    return declared.isdigit() and int(declared) in statuses


# -- JSON Schema ------------------------------------------------------------------------
def read_schema(schema: Any) -> Mapping[str, Any]:
    """``schema`` as a dictionary: given as one, as a JSON string, or as a file path."""
    if isinstance(schema, Mapping):
        return schema
    if isinstance(schema, bool):
        return {} if schema else {"not": {}}
    if isinstance(schema, (str, os.PathLike)):
        text = os.fspath(schema)
        if not text.lstrip().startswith(("{", "[")) and os.path.isfile(text):
            try:
                with open(text, encoding="utf-8") as file:
                    text = file.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise ArgumentError(f"Cannot read the schema file {schema}: {exc}") from None
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ArgumentError(
                f"Invalid schema {os.fspath(schema)!r:.200}: it is neither JSON ({exc}) nor an existing file. "
                "Give a dictionary, a JSON string or the path of a JSON file."
            ) from None
        if isinstance(value, dict):
            return value
    raise ArgumentError(f"Invalid schema {schema!r:.200}: give a dictionary, a JSON object string or the path of a JSON file.")


def schema_violations(instance: Any, schema: Mapping[str, Any]) -> List[str]:
    """Lines describing how ``instance`` violates ``schema`` (empty when it matches).

    The dialect is the schema's ``$schema`` (draft 2020-12 when it has none);
    formats are checked where jsonschema can check them."""
    jsonschema = require_extra("JSON Schema validation", "jsonschema")
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        raise ArgumentError(
            f"Invalid schema: it is not a valid JSON Schema: {exc.message} at {exc.json_path}."
        ) from None
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return describe_schema_errors(validator.iter_errors(instance))
