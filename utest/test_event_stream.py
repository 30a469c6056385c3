"""The event-stream parser and the stream reader behind the stream keywords.

The parser is checked against the rules and the examples of the HTML
standard's "Interpreting an event stream"; the reader against real ASGI apps
through the engine: whatever chunks an app cuts its body into, the same
events, lines and bytes come out.
"""
from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings, strategies as st

from RobotASGI.errors import BodyEnded, NothingArrived
from RobotASGI.event_stream import EventStreamParser, ServerSentEvent, Skipped, take_line
from RobotASGI.exchange_log import parse_json
from RobotASGI.streams import Stream, close_stream
from RobotASGI.testclient import TestClient


def parse(text: str) -> List[Tuple[str, str, str, Optional[int]]]:
    """The events ``text`` dispatches (type, data, id, retry), its lines split as the reader splits them."""
    buffer = bytearray(text.encode("utf-8"))
    parser = EventStreamParser()
    events = []
    while True:
        line, _ = take_line(buffer, cr_ends=True, final=False)
        if line is None:
            return events
        outcome = parser.feed(line.decode("utf-8"))
        if isinstance(outcome, ServerSentEvent):
            events.append((outcome.event, outcome.data, outcome.id, outcome.retry))


# -- the standard's examples -----------------------------------------------------------
def test_the_standards_three_messages():
    text = (
        "data: This is the first message.\n\n"
        "data: This is the second message, it\ndata: has two lines.\n\n"
        "data: This is the third message.\n\n"
    )
    assert [data for _, data, _, _ in parse(text)] == [
        "This is the first message.",
        "This is the second message, it\nhas two lines.",
        "This is the third message.",
    ]


def test_the_standards_typed_events():
    text = "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n"
    assert [(kind, data) for kind, data, _, _ in parse(text)] == [("add", "73857293"), ("remove", "2153"), ("add", "113411")]


def test_the_standards_stock_ticker():
    assert parse("data: YHOO\ndata: +2\ndata: 10\n\n") == [("message", "YHOO\n+2\n10", "", None)]


def test_the_standards_ids_and_the_last_block_without_a_blank_line():
    text = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n"
    assert parse(text) == [("message", "first event", "1", None), ("message", "second event", "", None)]
    assert parse(text + "\n")[-1] == ("message", " third event", "", None)


def test_the_standards_empty_data():
    assert [data for _, data, _, _ in parse("data\n\ndata\ndata\n\ndata:\n\n")] == ["", "\n", ""]


# -- each rule -------------------------------------------------------------------------
@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"])
def test_every_line_end(end):
    assert parse(f"event: a{end}data: 1{end}data: 2{end}{end}") == [("a", "1\n2", "", None)]


def test_line_ends_can_mix():
    assert parse("data: 1\r\ndata: 2\rdata: 3\n\r\n") == [("message", "1\n2\n3", "", None)]


def test_one_space_after_the_colon_is_dropped():
    assert [data for _, data, _, _ in parse("data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\n")] == ["x", "x", " x", "\tx"]


def test_a_field_without_a_colon_has_an_empty_value():
    assert parse("data\nevent\n\n") == [("message", "", "", None)]


def test_an_id_with_nul_is_ignored_and_ids_last():
    assert parse("id: 7\ndata: a\n\nid: x\0y\ndata: b\n\ndata: c\n\n") == [
        ("message", "a", "7", None), ("message", "b", "7", None), ("message", "c", "7", None)
    ]


@pytest.mark.parametrize("value, kept", [("1500", 1500), ("0", 0), ("2s", None), ("-5", None), ("1.5", None),
                                         ("", None), ("١٢", None), (" 100", 100)])
def test_retry_is_only_ascii_digits(value, kept):
    assert parse(f"retry:{value}\ndata: a\n\n") == [("message", "a", "", kept)]


def test_retry_lasts_until_another_valid_one():
    assert [retry for _, _, _, retry in parse("retry: 10\ndata: a\n\nretry: x\ndata: b\n\nretry: 20\ndata: c\n\n")] == [
        10, 10, 20
    ]


def test_comments_are_skipped_and_reported():
    parser = EventStreamParser()
    assert parser.feed(": keep-alive") == Skipped("comment", " keep-alive")
    assert parser.feed(":") == Skipped("comment", "")
    assert parser.feed("") is None  # a blank line with nothing built: nothing at all


def test_an_event_with_no_data_is_not_dispatched_but_its_id_counts():
    parser = EventStreamParser()
    for line in ("event: ping", "id: 43"):
        assert parser.feed(line) is None
    skipped = parser.feed("")
    assert skipped == Skipped("no data", "", ["event: ping", "id: 43"])
    parser.feed("data: next")
    event = parser.feed("")
    assert isinstance(event, ServerSentEvent)
    assert (event.event, event.data, event.id) == ("message", "next", "43")  # the type was reset


def test_unknown_fields_are_ignored_and_field_names_are_case_sensitive():
    assert parse("Data: no\nDATA: no\nfoo: bar\ndata: yes\n\n") == [("message", "yes", "", None)]


def test_the_event_dictionary_has_json_only_when_the_data_is_json():
    parser = EventStreamParser()
    parser.feed('data: {"a": [1, null]}')
    with_json = parser.feed("")
    parser.feed("data: plain")
    without = parser.feed("")
    assert isinstance(with_json, ServerSentEvent) and isinstance(without, ServerSentEvent)
    assert with_json.as_dict(parse_json) == {"event": "message", "data": '{"a": [1, null]}', "id": "", "retry": None,
                                             "json": {"a": [1, None]}}
    assert "json" not in without.as_dict(parse_json)


# -- splitting lines -------------------------------------------------------------------
def test_take_line_keeps_what_is_not_a_whole_line():
    buffer = bytearray(b"one\ntw")
    assert take_line(buffer, cr_ends=True, final=False) == (b"one", False)
    assert take_line(buffer, cr_ends=True, final=False) == (None, False)
    assert buffer == b"tw"
    assert take_line(buffer, cr_ends=False, final=True) == (b"tw", False)
    assert buffer == b""
    assert take_line(buffer, cr_ends=False, final=True) == (None, False)


def test_a_cr_at_the_end_of_what_arrived_ends_the_line_and_says_an_lf_may_follow():
    buffer = bytearray(b"data: x\r")
    assert take_line(buffer, cr_ends=True, final=False) == (b"data: x", True)
    assert buffer == b""


def test_lines_of_a_line_protocol_end_with_lf_or_crlf_only():
    buffer = bytearray(b'{"a": 1}\r\n{"b": "x\ry"}\n')
    assert take_line(buffer, cr_ends=False, final=False) == (b'{"a": 1}', False)
    assert take_line(buffer, cr_ends=False, final=False) == (b'{"b": "x\ry"}', False)


# -- the reader, against apps that cut their bodies anywhere ---------------------------
def chunked_app(chunks: List[bytes], then: str = "end", content_type: bytes = b"text/event-stream") -> Any:
    """Sends ``chunks`` one ``http.response.body`` each; then ends the body,
    or waits for the disconnect (``then="hang"``)."""

    async def app(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
        for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if then == "end":
            await send({"type": "http.response.body", "body": b""})
        else:
            while (await receive())["type"] != "http.disconnect":
                pass

    return app


def open_stream(client: TestClient, timeout: float = 2.0) -> Stream:
    return Stream(client.get("/", stream=True), timeout, "client1")


def events_of(stream: Stream) -> List[Tuple[str, str, str, Optional[int]]]:
    events = []
    while True:
        try:
            event = stream.next_event(time.monotonic() + 2, lambda skipped: None)
        except BodyEnded:
            return events
        events.append((event.event, event.data, event.id, event.retry))


def cut(data: bytes, points: List[int]) -> List[bytes]:
    edges = sorted({point % (len(data) + 1) for point in points} | {0, len(data)})
    return [data[start:end] for start, end in zip(edges, edges[1:]) if data[start:end]]


EVENT = st.tuples(
    st.sampled_from(["", "tick", "price"]),
    st.lists(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=8), min_size=1, max_size=3),
    st.one_of(st.none(), st.text("0123456789abc", max_size=4)),
)


@settings(max_examples=60, deadline=None)
@given(events=st.lists(EVENT, min_size=1, max_size=5), ends=st.lists(st.sampled_from(["\n", "\r", "\r\n"]), min_size=1),
       points=st.lists(st.integers(min_value=0, max_value=10_000), max_size=8), bom=st.booleans())
def test_events_come_out_the_same_however_the_body_is_cut(events, ends, points, bom):
    lines: List[str] = []
    expected = []
    last_id = ""
    for kind, data, event_id in events:
        if kind:
            lines.append(f"event: {kind}")
        lines += [f"data: {line}" for line in data]
        if event_id is not None:
            lines.append(f"id: {event_id}")
            last_id = event_id
        lines.append("")
        expected.append((kind or "message", "\n".join(data), last_id, None))
    text = ""
    for index, line in enumerate(lines):
        end = ends[index % len(ends)]
        if text.endswith("\r") and not line and end.startswith("\n"):
            end = "\r"  # a CR, then an LF: one line end, not two
        text += line + end
    body = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with TestClient(chunked_app(cut(body, points))) as client:
        stream = open_stream(client)
        assert events_of(stream) == expected


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_cr_that_ends_a_chunk_and_the_lf_that_starts_the_next(backend):
    app = chunked_app([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\ndata: c\r\n\r\n"])
    with TestClient(app, backend=backend) as client:
        assert events_of(open_stream(client)) == [("message", "a\nb", "", None), ("message", "c", "", None)]


def test_a_byte_order_mark_split_over_chunks_is_dropped_once():
    app = chunked_app([b"\xef", b"\xbb", b"\xbfdata: a\n\n", b"\xef\xbb\xbfdata: b\n\n"])
    with TestClient(app) as client:
        events = events_of(open_stream(client))
    assert events == [("message", "a", "", None)]  # the second BOM is part of a field name: ignored


def test_nothing_arrived_says_what_did():
    with TestClient(chunked_app([b": ping\n", b"data: half"], then="hang")) as client:
        stream = open_stream(client)
        reported: List[Skipped] = []
        started = time.monotonic()
        with pytest.raises(NothingArrived) as stalled:
            stream.next_event(time.monotonic() + 0.3, reported.append)
        assert 0.25 < time.monotonic() - started < 2
        assert stalled.value.arrived == ["a comment ': ping'", "the start of an event: data: half"]
        assert reported == [Skipped("comment", " ping")]
        assert close_stream(stream) == "the client disconnected before the body was complete; the app returned"


def test_lines_chunks_and_events_share_what_arrived():
    app = chunked_app([b"first line\nsecond", b" line\r\ndata: e\n\nrest"], content_type=b"text/plain")
    with TestClient(app) as client:
        stream = open_stream(client)
        deadline = time.monotonic() + 2
        assert stream.next_line(deadline) == b"first line"
        assert stream.next_line(deadline) == b"second line"
        assert stream.next_event(deadline, lambda skipped: None).data == "e"
        assert stream.next_chunk(deadline) == b"rest"
        with pytest.raises(BodyEnded):
            stream.next_chunk(deadline)
        assert stream.finished and stream.received == 37


def test_the_last_line_needs_no_line_end():
    with TestClient(chunked_app([b"a\nb"], content_type=b"application/x-ndjson")) as client:
        stream = open_stream(client)
        deadline = time.monotonic() + 2
        assert [stream.next_line(deadline), stream.next_line(deadline)] == [b"a", b"b"]
        with pytest.raises(BodyEnded):
            stream.next_line(deadline)


def test_expect_nothing_leaves_what_came_to_be_read():
    with TestClient(chunked_app([b"data: x\n\n"], then="hang")) as client:
        stream = open_stream(client)
        assert stream.expect_nothing(0.2) == b"data: x\n\n"
        assert stream.next_event(time.monotonic() + 1, lambda skipped: None).data == "x"
        assert stream.expect_nothing(0.1) is None


def test_drain_reads_to_the_end_of_the_body():
    with TestClient(chunked_app([b"a", b"b"])) as client:
        stream = open_stream(client)
        assert stream.drain(time.monotonic() + 2) == b"ab"
        assert stream.expect_nothing(0.1) == "end"
        assert close_stream(stream) is None  # nothing to tell: the app returned
