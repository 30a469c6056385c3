"""A module whose own import of a missing package fails, for ``bad_input.robot``."""
import robotasgi_no_such_dependency  # noqa: F401

app = None
