"""Building ASGI connection scopes from request URLs and headers.

The scope is what a real server such as uvicorn would build for the same
request: ``path`` percent-decoded exactly once, ``raw_path`` as sent without
the query, and, when the client has a ``root_path``, both prefixed with it -
the request arrives as it would behind a proxy that strips that prefix.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Tuple, Union
from urllib.parse import quote, unquote, urlsplit

import urllib3

if TYPE_CHECKING:
    from .server import Server

ASGI_VERSIONS = {"version": "3.0", "spec_version": "2.4"}

#: urllib3 1.x and 2.x differ in what they add to a request on the wire.
URLLIB3_1 = urllib3.__version__.startswith("1.")

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}

HeaderList = List[Tuple[bytes, bytes]]
HeaderValue = Union[str, bytes]


class Target:
    """The parts of a request URL a scope is made of."""

    __slots__ = ("scheme", "host", "port", "host_header", "raw_path", "query_string")

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.scheme = parts.scheme.lower()
        if self.scheme not in DEFAULT_PORTS:
            raise ValueError(f"Cannot send a request to {url!r}: the scheme must be http, https, ws or wss.")
        self.host = parts.hostname or "testserver"
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"Cannot send a request to {url!r}: its port is not a number from 0 to 65535.") from None
        self.port = port if port is not None else DEFAULT_PORTS[self.scheme]
        # As http.client sends it: the netloc without user info or a default port.
        host_header = parts.netloc.rpartition("@")[2] or self.host
        if port is not None and port == DEFAULT_PORTS[self.scheme]:
            host_header = host_header[: host_header.rindex(":")]
        self.host_header = host_header
        path = parts.path or "/"
        self.raw_path = path.encode("ascii") if path.isascii() else quote(path, safe="/%:@!$&'()*+,;=~").encode("ascii")
        self.query_string = parts.query.encode("ascii") if parts.query.isascii() else quote(parts.query, safe="=&%+").encode("ascii")


def encode_headers(host_header: str, headers: Iterable[Tuple[str, Optional[HeaderValue]]]) -> HeaderList:
    """The request headers as a real connection puts them on the wire.

    Lower-case latin-1 names, values without surrounding whitespace, order
    and duplicates kept. As http.client and urllib3 do: ``host`` comes first
    unless the request sets its own (which then keeps its place),
    ``accept-encoding: identity`` follows when the request has none, and a
    default ``user-agent`` is added when it has none.
    """
    encoded: HeaderList = []
    names = set()
    for name, value in headers:
        if value is None:
            continue
        lowered = name.lower()
        names.add(lowered)
        encoded.append((lowered.encode("latin-1"), _latin1(name, value).strip(b" \t")))
    first: HeaderList = []
    if "host" not in names:
        first.append((b"host", host_header.encode("idna") if not host_header.isascii() else host_header.encode("ascii")))
    if "accept-encoding" not in names:
        first.append((b"accept-encoding", b"identity"))
    if "user-agent" not in names:
        agent = (b"user-agent", f"python-urllib3/{urllib3.__version__}".encode("ascii"))
        if URLLIB3_1:
            encoded.append(agent)  # urllib3 1 adds it after the request's own headers
        else:
            first.append(agent)
    return first + encoded


def connection_scope(
    scope_type: str,
    target: Target,
    headers: HeaderList,
    server: "Server",
    extensions: Dict[str, Dict[str, Any]],
) -> Dict[str, Any]:
    """The parts of an ``http`` or ``websocket`` scope the two types share.

    ``extensions`` are those the connection offers; each scope gets a copy."""
    # The root path is a decoded path: prefixed as is to the decoded request
    # path, and percent-encoded (a "%" included) in front of the raw one.
    root_path = server.root_path
    raw_path = target.raw_path
    if root_path:
        raw_path = quote(root_path, safe="/:@!$&'()*+,;=~").encode("ascii") + raw_path
    client = server.client
    return {
        "type": scope_type,
        "asgi": dict(ASGI_VERSIONS),
        "http_version": "1.1",
        "scheme": target.scheme,
        "path": root_path + unquote(target.raw_path.decode("ascii")),
        "raw_path": raw_path,
        "query_string": target.query_string,
        "root_path": root_path,
        "headers": headers,
        "client": list(client) if client is not None else None,
        "server": (target.host, target.port),
        "state": dict(server.state),
        # The scope's own: an app or middleware may edit what it is given.
        "extensions": {name: dict(options) for name, options in extensions.items()},
    }


def _latin1(name: str, value: HeaderValue) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return str(value).encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(
            f"Header {name!r} has the value {value!r}, which is not latin-1 text; "
            "HTTP header values must be latin-1: encode other text yourself and pass bytes."
        ) from None
