"""ASGI apps that both test suites use: ``utest/`` (pytest) and ``atest/`` (Robot).

A package at the top of the source tree, beside ``RobotASGI``, so that both
suites import the same apps: pytest finds it through ``pythonpath = ["."]``
(pyproject.toml), Robot through the source tree being on ``PYTHONPATH``
(``atest/run.py`` puts it there), as ``testapps.<module>:<attribute>``. It is
not part of the wheel (setup.cfg excludes it).

``docs``
    The code examples of the documentation pages, for the tests that run them.
``faults``
    Misbehaving apps, one per fault of the fault matrices (``utest/test_fault_matrix.py``,
    ``atest/fault_matrix.robot``), each with a healthy ``/ok`` route; and the
    non-apps the import-string checks try.

Apps only one suite uses stay with it: ``utest/apps.py`` and ``utest/ws_apps.py``
(recording apps the unit tests inspect), ``atest/apps/`` (the framework apps).
"""
