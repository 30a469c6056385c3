"""ASGI test applications for the acceptance suites.

Importable as ``apps.<module>:<attribute>`` when ``atest/`` is on the Python
path (``atest/run.py`` passes ``--pythonpath atest`` to Robot Framework).
"""
