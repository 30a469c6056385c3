"""A module that raises when imported, for ``bad_input.robot``."""
raise RuntimeError("configuration file settings.toml is missing")
