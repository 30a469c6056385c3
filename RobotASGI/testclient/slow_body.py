"""A request body sent as a slow or unreliable client sends it.

``client.post(url, data=SlowBody(payload, chunk_size=1024, chunk_delay=0.1))``
sends ``payload`` in pieces of ``chunk_size`` bytes, ``chunk_delay`` seconds
apart, so a suite can test an app's upload timeouts; with
``disconnect_after=N`` the client goes away once it has sent ``N`` bytes of
the body: the app's next ``receive()``, after those bytes, returns
``http.disconnect`` and the request raises :class:`RequestAbandoned`, which
carries the trace of what the app did.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from .errors import quote


class SlowBody:
    """``payload`` (bytes, text sent as UTF-8, or an iterable of chunks), paced."""

    def __init__(
        self,
        payload: Union[bytes, bytearray, str, Iterable[Any]],
        chunk_size: Optional[int] = None,
        chunk_delay: float = 0.0,
        disconnect_after: Optional[int] = None,
    ) -> None:
        if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be a whole number of bytes >= 1, or None for the payload's own chunks; got {quote(chunk_size)}.")
        if isinstance(chunk_delay, bool) or not isinstance(chunk_delay, (int, float)) or not chunk_delay >= 0:
            raise ValueError(f"chunk_delay must be a number of seconds >= 0; got {quote(chunk_delay)}.")
        if disconnect_after is not None and (
            isinstance(disconnect_after, bool) or not isinstance(disconnect_after, int) or disconnect_after < 0
        ):
            raise ValueError(f"disconnect_after must be a number of body bytes >= 0, or None; got {quote(disconnect_after)}.")
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        if not isinstance(payload, (bytes, bytearray)):
            try:
                iter(payload)
            except TypeError:
                raise TypeError(
                    f"SlowBody takes bytes, str or an iterable of chunks, not {type(payload).__name__}."
                ) from None
        self.payload = payload
        self.chunk_size = chunk_size
        self.chunk_delay = float(chunk_delay)
        self.disconnect_after = disconnect_after

    def __len__(self) -> int:
        """The whole length when known, so requests sends a Content-Length."""
        if isinstance(self.payload, (bytes, bytearray)):
            return len(self.payload)
        raise TypeError("the length of an iterable SlowBody is not known")

    def __iter__(self) -> Iterator[bytes]:
        """The pieces, without the pacing (for a transport that is not ours)."""
        return self._pieces()

    def __repr__(self) -> str:
        size = f"{len(self.payload)} bytes" if isinstance(self.payload, (bytes, bytearray)) else "an iterable"
        return (
            f"SlowBody({size}, chunk_size={self.chunk_size}, chunk_delay={self.chunk_delay:g}, "
            f"disconnect_after={self.disconnect_after})"
        )

    def _pieces(self) -> Iterator[bytes]:
        chunks: Iterable[Any] = [self.payload] if isinstance(self.payload, (bytes, bytearray)) else self.payload
        size = self.chunk_size
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
            if size is None:
                if data:
                    yield data
                continue
            for offset in range(0, len(data), size):
                yield data[offset : offset + size]

    def source(self) -> Callable[[], Optional[bytes]]:
        """What the engine reads the body with: the next piece (None at the
        end), the first one at once and each next one ``chunk_delay`` later,
        and nothing beyond ``disconnect_after`` bytes."""
        pieces = self._pieces()
        state = {"sent": 0, "first": True}
        limit = self.disconnect_after

        def next_piece() -> Optional[bytes]:
            if limit is not None and state["sent"] >= limit:
                return None
            piece = next(pieces, None)
            if piece is None:
                return None
            if not state["first"] and self.chunk_delay:
                time.sleep(self.chunk_delay)
            state["first"] = False
            if limit is not None:
                piece = piece[: limit - state["sent"]]
            state["sent"] += len(piece)
            return piece

        return next_piece

    def abandons_after(self, sent: int) -> bool:
        """Whether the client goes away having sent ``sent`` bytes."""
        return self.disconnect_after is not None and sent >= self.disconnect_after
