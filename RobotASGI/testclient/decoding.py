"""Undoing a response's ``Content-Encoding`` (gzip, deflate, br), as urllib3 does."""
from __future__ import annotations

import zlib
from typing import Any

import requests


class Decoder:
    """Undoes a ``Content-Encoding`` the way urllib3 does for requests.

    Corrupt data raises :class:`requests.exceptions.ContentDecodingError`, as
    requests does with a real server.
    """

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding.strip().lower()
        self._inflater: Any = None
        self._first = True
        if self._encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._encoding == "deflate":
            self._inflater = zlib.decompressobj()
        elif self._encoding == "br":
            brotli = _optional_module("brotli") or _optional_module("brotlicffi")
            if brotli is not None:
                self._inflater = brotli.Decompressor()

    @property
    def active(self) -> bool:
        return self._inflater is not None

    def decode(self, data: bytes) -> bytes:
        try:
            return self._decode(data)
        except Exception as exc:
            raise requests.exceptions.ContentDecodingError(
                f"The response body is not valid {self._encoding} data ({exc})."
            ) from exc

    def flush(self) -> bytes:
        flush = getattr(self._inflater, "flush", None)
        return flush() if flush is not None else b""

    def _decode(self, data: bytes) -> bytes:
        if self._encoding == "br":
            process = getattr(self._inflater, "process", None) or self._inflater.decompress
            return process(data)
        if self._encoding == "deflate" and self._first:
            self._first = False
            try:
                return self._inflater.decompress(data)
            except zlib.error:  # raw deflate without the zlib header, as some servers send
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflater.decompress(data)
        output = self._inflater.decompress(data)
        # gzip allows several members one after the other: decode them all.
        while self._encoding != "deflate" and self._inflater.eof and self._inflater.unused_data:
            rest = self._inflater.unused_data
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            output += self._inflater.decompress(rest)
        return output


def _optional_module(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        return None


def decode_whole(body: bytes, encoding: str) -> bytes:
    if not encoding or not body:
        return body
    decoder = Decoder(encoding)
    if not decoder.active:
        return body
    return decoder.decode(body) + decoder.flush()
