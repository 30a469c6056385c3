"""Selecting the async backend: the ``async_backend`` dict and its properties.

Newer seed: "``TestClient.async_backend`` is a dictionary which allows you to
set the options for the backend ... By default, ``asyncio`` is used. To run
``Trio``, set ``async_backend["backend"] = "trio"``." The options are passed to
anyio; the app finds out where it runs with ``sniffio``.
"""
from __future__ import annotations

import pytest
import sniffio

from apps import LifespanApp, hello_app, read_body, send_json
from RobotASGI.testclient import TestClient
from testapps.faults import healthy_lifespan

OTHER = {"asyncio": "trio", "trio": "asyncio"}


class LibraryProbe:
    """ASGI 3 app answering which async library runs it (and loop details)."""

    def __init__(self) -> None:
        self.seen: list[dict] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            self.lifespan_library = sniffio.current_async_library()
            await healthy_lifespan(scope, receive, send)
            return
        library = sniffio.current_async_library()
        info = {"library": library}
        if library == "asyncio":
            import asyncio

            info["debug"] = asyncio.get_running_loop().get_debug()
        self.seen.append(info)
        await read_body(receive)
        await send_json(send, info)


class RecordingInstrument:
    """A trio instrument: trio.run(instruments=[...]) calls before_run()."""

    def __init__(self) -> None:
        self.runs = 0

    def before_run(self) -> None:
        self.runs += 1


# --------------------------------------------------------------------------
# the dict
# --------------------------------------------------------------------------

def test_async_backend_default_is_asyncio_without_options():
    client = TestClient(hello_app)
    assert client.async_backend == {"backend": "asyncio", "backend_options": {}}
    assert isinstance(client.async_backend, dict)


def test_default_backend_runs_the_app_on_asyncio():
    # The one test deliberately not parametrized: it checks the default.
    probe = LibraryProbe()
    assert TestClient(probe).get("/").json()["library"] == "asyncio"


def test_backend_argument_is_reflected_in_the_dict(backend):
    client = TestClient(hello_app, backend=backend)
    assert client.async_backend["backend"] == backend
    assert client.backend == backend


def test_app_runs_on_the_configured_backend(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    assert client.get("/").json()["library"] == backend


def test_setting_async_backend_dict_switches_the_next_request(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    assert client.get("/").json()["library"] == backend
    client.async_backend["backend"] = OTHER[backend]
    assert client.get("/").json()["library"] == OTHER[backend]
    client.async_backend["backend"] = backend
    assert client.get("/").json()["library"] == backend


def test_seed_example_switch_to_trio_after_construction(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    client.async_backend["backend"] = "trio"
    response = client.get("/")
    assert response.status_code == 200
    assert response.json()["library"] == "trio"


def test_async_backend_dict_can_be_replaced_whole(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    client.async_backend = {"backend": OTHER[backend], "backend_options": {}}
    assert client.get("/").json()["library"] == OTHER[backend]
    assert client.backend == OTHER[backend]


def test_backend_property_writes_the_dict(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    client.backend = OTHER[backend]
    assert client.async_backend["backend"] == OTHER[backend]
    assert client.get("/").json()["library"] == OTHER[backend]


def test_backend_property_reads_the_dict(backend):
    client = TestClient(hello_app, backend=backend)
    client.async_backend["backend"] = OTHER[backend]
    assert client.backend == OTHER[backend]


def test_backend_options_argument_is_reflected_in_the_dict(backend):
    options = {"debug": True} if backend == "asyncio" else {"strict_exception_groups": True}
    client = TestClient(hello_app, backend=backend, backend_options=options)
    assert client.async_backend["backend_options"] == options
    assert client.backend_options == options


def test_backend_options_property_writes_the_dict(backend):
    client = TestClient(hello_app, backend=backend)
    client.backend_options = {"debug": False}
    assert client.async_backend["backend_options"] == {"debug": False}


def test_backend_options_mutated_in_place_stays_in_step_with_the_dict(backend):
    client = TestClient(hello_app, backend=backend)
    client.backend_options["debug"] = True
    assert client.async_backend["backend_options"] == {"debug": True}


def test_backend_options_property_reads_the_dict(backend):
    client = TestClient(hello_app, backend=backend)
    client.async_backend["backend_options"] = {"debug": True}
    assert client.backend_options == {"debug": True}


def test_backend_inside_with_block_runs_lifespan_and_requests_there(backend):
    probe = LibraryProbe()
    with TestClient(probe, backend=backend) as client:
        assert client.get("/").json()["library"] == backend
    assert probe.lifespan_library == backend


def test_async_backend_switch_before_with_block_applies_to_lifespan(backend):
    app = LifespanApp()
    client = TestClient(app, backend=backend)
    client.async_backend["backend"] = OTHER[backend]
    with client:
        client.get("/")
    assert [library for library, _ in app.runners["startup"]] == [OTHER[backend]]
    assert [library for library, _ in app.runners["request"]] == [OTHER[backend]]


# --------------------------------------------------------------------------
# unknown backend
# --------------------------------------------------------------------------

def _assert_names_accepted_backends(excinfo) -> None:
    message = str(excinfo.value)
    assert "asyncio" in message
    assert "trio" in message


def test_unknown_backend_argument_raises_value_error_naming_accepted_ones():
    with pytest.raises(ValueError) as excinfo:
        TestClient(hello_app, backend="curio").get("/")
    _assert_names_accepted_backends(excinfo)
    assert "curio" in str(excinfo.value)


def test_unknown_backend_in_dict_raises_value_error_on_request(backend):
    client = TestClient(hello_app, backend=backend)
    client.async_backend["backend"] = "twisted"
    with pytest.raises(ValueError) as excinfo:
        client.get("/")
    _assert_names_accepted_backends(excinfo)


def test_unknown_backend_via_property_raises_value_error(backend):
    client = TestClient(hello_app, backend=backend)
    with pytest.raises(ValueError) as excinfo:
        client.backend = "gevent"
        client.get("/")
    _assert_names_accepted_backends(excinfo)


def test_unknown_backend_raises_on_with_entry(backend):
    client = TestClient(hello_app, backend=backend)
    client.async_backend["backend"] = "curio"
    with pytest.raises(ValueError) as excinfo:
        with client:
            pass
    _assert_names_accepted_backends(excinfo)


def test_client_works_again_after_unknown_backend_is_corrected(backend):
    client = TestClient(hello_app, backend=backend)
    client.async_backend["backend"] = "curio"
    with pytest.raises(ValueError):
        client.get("/")
    client.async_backend["backend"] = backend
    assert client.get("/").text == "Hello, world!"


# --------------------------------------------------------------------------
# options reach anyio
#
# The options are backend specific (asyncio: debug; trio: instruments), so
# these tests start on the fixture's backend and switch to the one whose
# option they probe: switching keeps the options working from either side.
# --------------------------------------------------------------------------

@pytest.mark.parametrize("debug", [True, False])
def test_asyncio_debug_option_from_constructor_reaches_the_loop(backend, debug):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend, backend_options={"debug": debug})
    client.async_backend["backend"] = "asyncio"  # the option is an asyncio one
    assert client.get("/").json() == {"library": "asyncio", "debug": debug}


def test_asyncio_debug_option_set_in_the_dict_reaches_the_loop(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    client.async_backend["backend"] = "asyncio"
    client.async_backend["backend_options"] = {"debug": True}
    assert client.get("/").json()["debug"] is True
    client.async_backend["backend_options"] = {"debug": False}
    assert client.get("/").json()["debug"] is False


def test_asyncio_debug_option_mutated_in_place_reaches_the_loop(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    client.backend = "asyncio"
    client.backend_options["debug"] = True
    assert client.get("/").json()["debug"] is True


def test_extra_dict_key_is_passed_to_anyio_as_backend_option(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend)
    client.async_backend["backend"] = "asyncio"
    client.async_backend["debug"] = True
    assert client.get("/").json()["debug"] is True


def test_asyncio_debug_option_applies_inside_with_block(backend):
    probe = LibraryProbe()
    client = TestClient(probe, backend=backend, backend_options={"debug": True})
    client.backend = "asyncio"
    with client:
        assert client.get("/").json()["debug"] is True
        assert client.get("/").json()["debug"] is True


def test_trio_backend_options_reach_trio_run(backend):
    instrument = RecordingInstrument()
    client = TestClient(hello_app, backend=backend)
    client.async_backend["backend"] = "trio"
    client.async_backend["backend_options"] = {"instruments": [instrument]}
    client.get("/")
    assert instrument.runs == 1
    client.get("/")
    assert instrument.runs == 2  # a fresh trio run per request outside `with`


def test_trio_backend_options_reach_the_single_run_of_a_with_block(backend):
    instrument = RecordingInstrument()
    client = TestClient(hello_app, backend=backend, backend_options={"instruments": [instrument]})
    client.backend = "trio"
    with client:
        client.get("/")
        client.get("/")
    assert instrument.runs == 1
