"""What the app logs: formatted when emitted, on the app's thread, never raising;
levels as the Robot log shows them."""
from __future__ import annotations

import logging
import sys
import threading

import pytest

from RobotASGI.app_log import AppLogCollector, describe_record, robot_level


def record(msg: object, args: tuple = (), level: int = logging.WARNING, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("app.module", level, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def test_the_level_and_the_logger_are_named():
    assert describe_record(record("Not Found: %s", ("/nope",))) == "WARNING [app.module] Not Found: /nope"
    assert describe_record(record("ok", level=logging.DEBUG)) == "DEBUG [app.module] ok"


def test_a_message_that_cannot_be_formatted_is_described():
    text = describe_record(record("%s %s", ("one",)))
    assert text == (
        "WARNING [app.module] (a log call whose message could not be formatted - TypeError: "
        "not enough arguments for format string; message '%s %s', arguments ('one',))"
    )


def test_arguments_whose_repr_fails_are_described_too():
    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no str")

        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    text = describe_record(record("value %s", (Hostile(),)))
    assert "RuntimeError: no str" in text
    assert "<tuple whose repr() raised RuntimeError>" in text


def test_the_exception_is_formatted_with_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        text = describe_record(record("failed", exc_info=sys.exc_info()))
    assert text.startswith("WARNING [app.module] failed\nTraceback (most recent call last):")
    assert text.endswith("ValueError: boom")


@pytest.mark.parametrize(
    "level, default, warnings",
    [
        (logging.DEBUG, "DEBUG", "DEBUG"),
        (5, "DEBUG", "DEBUG"),
        (logging.INFO, "INFO", "INFO"),
        (logging.WARNING, "INFO", "WARN"),
        (logging.ERROR, "INFO", "ERROR"),
        (logging.CRITICAL, "INFO", "ERROR"),
    ],
)
def test_robot_levels(level, default, warnings):
    assert robot_level(level, app_log_warnings=False) == default
    assert robot_level(level, app_log_warnings=True) == warnings


def test_records_are_formatted_when_emitted_on_the_apps_thread():
    collector = AppLogCollector()
    items = ["first"]

    def app() -> None:
        collector.handle(record("items: %s", (items,)))
        items.append("later")
        collector.handle(record("%s %s", ("broken",)))

    thread = threading.Thread(target=app, name="engine")
    thread.start()
    thread.join()
    entries, dropped = collector.drain()
    assert [entry.text for entry in entries] == [
        "WARNING [app.module] items: ['first']",
        "WARNING [app.module] (a log call whose message could not be formatted - TypeError: "
        "not enough arguments for format string; message '%s %s', arguments ('broken',))",
    ]
    assert dropped == 0
    assert collector.drain() == ([], 0)


def test_records_of_robots_own_threads_are_left_to_robot():
    collector = AppLogCollector()
    collector.handle(record("on the main thread"))
    assert collector.drain() == ([], 0)


def test_too_many_records_are_counted_not_kept(monkeypatch):
    monkeypatch.setattr("RobotASGI.app_log.MAX_RECORDS", 3)
    collector = AppLogCollector()
    thread = threading.Thread(target=lambda: [collector.handle(record(f"r{n}")) for n in range(5)])
    thread.start()
    thread.join()
    entries, dropped = collector.drain()
    assert len(entries) == 3 and dropped == 2
