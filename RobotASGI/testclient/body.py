"""The request body, as the application's ``receive()`` gets it."""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

import anyio.to_thread

from .errors import quote
from .scope import URLLIB3_1
from .types import Message

#: How requests' transport encodes a str request body, by urllib3 major version.
STR_BODY_ENCODING = "latin-1" if URLLIB3_1 else "utf-8"
#: Size of the chunks read from file request bodies.
FILE_CHUNK = 1 << 16


class RequestBody:
    """The request body as a series of chunks, read lazily on the loop.

    Bytes and text are sent in one ``http.request`` message. Files and
    iterators are read chunk by chunk in a worker thread (user code may block)
    and end with an empty message whose ``more_body`` is false, as a server
    reading a chunked upload does.
    """

    def __init__(self, body: Any) -> None:
        self._whole: Optional[bytes] = None
        self._next: Optional[Callable[[], Optional[bytes]]] = None
        if body is None:
            self._whole = b""
        elif isinstance(body, (bytes, bytearray, memoryview)):
            self._whole = bytes(body)
        elif isinstance(body, str):
            # What a real connection sends: urllib3 2 encodes str bodies as
            # UTF-8, urllib3 1 leaves them to http.client, which uses latin-1.
            try:
                self._whole = body.encode(STR_BODY_ENCODING)
            except UnicodeEncodeError as exc:
                raise ValueError(
                    f"The request body {quote(body, 60)} is not latin-1 text, which is what a str body is sent "
                    "as with urllib3 1.x; pass bytes instead, e.g. data=text.encode('utf-8')."
                ) from exc
        elif hasattr(body, "read"):
            self._next = lambda: _as_bytes(body.read(FILE_CHUNK)) or None
        else:
            try:
                iterator = iter(body)
            except TypeError:
                raise TypeError(
                    f"Cannot send a request body of type {type(body).__name__}: use bytes, str, "
                    "a file object or an iterable of bytes."
                ) from None
            self._next = lambda: _next_chunk(iterator)
        self.done = False

    async def next_message(self) -> Message:
        if self._whole is not None:
            self.done = True
            return {"type": "http.request", "body": self._whole, "more_body": False}
        assert self._next is not None
        chunk = await anyio.to_thread.run_sync(self._next)
        if chunk is None:
            self.done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}


def _next_chunk(iterator: Iterator[Any]) -> Optional[bytes]:
    for chunk in iterator:
        data = _as_bytes(chunk)
        if data:
            return data
    return None


def _as_bytes(chunk: Any) -> bytes:
    if isinstance(chunk, str):
        return chunk.encode("utf-8")
    return bytes(chunk)
