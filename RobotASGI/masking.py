"""What the log must never show, and what it must never rewrite.

Credentials are masked in two ways:

- **by place**, whatever the value: the values of the masked headers
  (``mask_headers``; for ``Cookie`` and ``Set-Cookie`` the cookie values, their
  names and attributes stay readable), the password of ``auth``, the values
  of the masked fields (``mask_fields``) in JSON and form bodies and in query
  strings, of requests and responses - and their shapes in any text, such as
  Robot's own dump of keyword arguments (``'Authorization': '...'``,
  ``auth=['qa', '...']``, ``"password": "..."``, ``["password", "..."]``,
  ``?api_key=...``);
- **by value**, wherever the value appears from then on - in bodies, other
  clients, other tests, messages of any keyword - for real credentials only:
  a password or header value the suite gave, a Robot Framework ``Secret``, a
  value the app returned in a masked field (a token). Only values that cannot
  be mistaken for ordinary text are masked by value (see
  :func:`maskable_by_value`): a shorter or common credential is masked where
  it stands, never elsewhere, so ``null``, ``true`` or ``42`` always read as
  they are.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, List, Match, Optional, Pattern, Set, Tuple
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

MASK = "*****"
DEFAULT_MASKED_HEADERS = ("Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization")
DEFAULT_MASKED_FIELDS = (
    "password", "passwd", "secret", "token", "access_token", "refresh_token", "id_token",
    "client_secret", "api_key", "apikey",
)

#: The shortest credential masked by value (wherever it appears).
MIN_SECRET_LENGTH = 8

_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
#: A JSON or Python literal value after a field name: a string in either quote, or a number.
_VALUE = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"""
_SEPARATORS = r"[_\-]*"
# auth=['user', 'password'] / auth=("user", "password")
_AUTH = re.compile(r"""(?i)(\bauth\s*=\s*[\[(]\s*(['"]).*?\2\s*,\s*)(['"])((?:(?!\3).)*)\3""")


def maskable_by_value(value: str) -> bool:
    """Whether a credential is distinctive enough to be masked wherever it
    appears: at least :data:`MIN_SECRET_LENGTH` characters, and neither a
    number nor a word (letters alone, in one case or capitalised) - so JSON's
    ``null``/``true``/``false``, numbers, and ordinary words are never
    rewritten, whatever credential happens to equal them."""
    text = value.strip()
    if len(text) < MIN_SECRET_LENGTH or _NUMBER.fullmatch(text):
        return False
    return not (text.isalpha() and (text.islower() or text.isupper() or text.istitle()))


def field_key(name: str) -> str:
    """A field name as ``mask_fields`` matches it: case, ``_`` and ``-`` do not
    count (``access_token``, ``accessToken`` and ``Access-Token`` are one)."""
    return re.sub(r"[_\-]", "", name).lower()


class Masker:
    """Hides credentials by place and, the distinctive ones, by value."""

    def __init__(self, headers: Iterable[str] = DEFAULT_MASKED_HEADERS, fields: Iterable[str] = DEFAULT_MASKED_FIELDS) -> None:
        self.names: Set[str] = set()
        self.fields: Set[str] = set()
        self._known: Set[str] = set()
        self._patterns: Optional[List[Tuple[Pattern[str], Any]]] = None
        self._opener: Optional[Pattern[str]] = None  # a masked field's name, up to its value
        self.add_headers(headers)
        self.add_fields(fields)

    # -- what is masked ------------------------------------------------------------
    def add_headers(self, names: Iterable[str]) -> None:
        """Mask these headers (any case) from now on."""
        self.names |= {name.strip().lower() for name in names if name.strip()}
        self._patterns = None

    def add_fields(self, names: Iterable[str]) -> None:
        """Mask these JSON, form and query fields from now on."""
        self.fields |= {field_key(name.strip()) for name in names if name.strip()}
        self._patterns = None

    def remember(self, secrets: Iterable[Any]) -> None:
        """Mask these credential values wherever they appear from now on - those
        :func:`maskable_by_value` finds distinctive enough.

        A credential of the form ``scheme token`` ("Bearer abc...", "Basic
        cWE6eA==") is remembered with its token alone too."""
        for secret in secrets:
            if not isinstance(secret, str) or MASK in secret:
                continue
            parts = secret.split(None, 1)
            for value in (secret, parts[1] if len(parts) == 2 and parts[0].isalpha() else ""):
                if maskable_by_value(value):
                    self._known.add(value.strip())

    def is_field(self, name: Any) -> bool:
        return isinstance(name, str) and field_key(name) in self.fields

    def field_values(self, data: Any) -> List[str]:
        """The values of masked fields in parsed JSON, or in ``[name, value]``
        pairs: what an app returns there (a token) is a credential."""
        found: List[str] = []
        if isinstance(data, dict):
            for key, value in data.items():
                if self.is_field(key):
                    found += _leaves(value)
                else:
                    found += self.field_values(value)
        elif isinstance(data, list):
            if len(data) == 2 and self.is_field(data[0]):
                return _leaves(data[1])
            for item in data:
                found += self.field_values(item)
        return found

    # -- by place --------------------------------------------------------------------
    def header(self, name: str, value: str) -> str:
        """A header's value as the log shows it."""
        lowered = name.lower()
        if lowered not in self.names:
            return value
        if lowered == "cookie":
            return "; ".join(_masked_pair(pair.strip()) for pair in value.split(";") if pair.strip())
        if lowered in ("set-cookie", "set-cookie2"):
            first, separator, attributes = value.partition(";")
            return _masked_pair(first.strip()) + separator + attributes
        return MASK

    def json(self, data: Any) -> Any:
        """A copy of parsed JSON with the values of masked fields masked: in
        objects, and in ``[name, value]`` pairs (a form's fields as lists)."""
        if isinstance(data, dict):
            return {key: self._masked_leaves(value) if self.is_field(key) else self.json(value) for key, value in data.items()}
        if isinstance(data, list):
            if len(data) == 2 and self.is_field(data[0]):
                return [data[0], self._masked_leaves(data[1])]
            return [self.json(item) for item in data]
        return data

    def form(self, text: str) -> str:
        """An ``application/x-www-form-urlencoded`` body or query string with
        the values of masked fields masked, and nothing else changed."""
        pairs = text.split("&")
        return "&".join(
            f"{pair.partition('=')[0]}={MASK}" if "=" in pair and self.is_field(unquote_plus(pair.partition("=")[0])) else pair
            for pair in pairs
        )

    def url(self, url: str) -> str:
        """A URL without the password of its user info and with the masked
        fields of its query masked."""
        parts = urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None or parts.username is not None:
            netloc = f"{MASK}@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
        query = self.form(parts.query) if parts.query else parts.query
        if netloc == parts.netloc and query == parts.query:
            return url
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))

    def form_values(self, text: str) -> List[str]:
        """The values of masked fields in a form body or query string."""
        return [value for name, value in parse_qsl(text, keep_blank_values=True) if self.is_field(name)]

    def _masked_leaves(self, value: Any) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return MASK
        if isinstance(value, dict):
            return {key: self._masked_leaves(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._masked_leaves(item) for item in value]
        return value  # null, true, false: no secret, shown as they are

    # -- text ------------------------------------------------------------------------
    def text(self, text: str) -> str:
        """``text`` with every remembered credential value replaced by the mask."""
        for secret in sorted(self._known, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def scrub(self, text: str) -> str:
        """:meth:`text`, plus credentials recognised by where they stand.

        Every log message passes here: a pattern runs only on a text that holds
        what it looks for (a quoted header name, ``auth=``, a field name)."""
        text = self.text(text)
        lowered = text.lower()
        patterns = self._shape_patterns()
        if self.names and any(f"'{name}" in lowered or f'"{name}' in lowered for name in self.names):
            text = patterns[0][0].sub(patterns[0][1], text)
        if "auth=" in lowered or "auth =" in lowered:
            text = _AUTH.sub(rf"\1\3{MASK}\3", text)
        if self.fields:
            squashed = lowered.replace("_", "").replace("-", "")
            if any(key in squashed for key in self.fields):
                for pattern, replacement in patterns[1:]:
                    text = pattern.sub(replacement, text)
        return text

    def cut(self, text: str) -> str:
        """``text`` cut short - the start of a longer body, as an ASGI trace
        keeps it - as the log may show it, after :meth:`scrub`: where the cut
        leaves the value of a masked field open (a string not closed, an object
        or a list not ended) the rest is masked, a complete object or list under
        a masked field is masked whole, and an end that is the start of a
        remembered credential is left out. Nothing else changes."""
        if self.fields:
            text = self._cut_fields(text)
        drop = 0
        for secret in self._known:
            for length in range(min(len(secret) - 1, len(text)), drop, -1):
                if text.endswith(secret[:length]):
                    drop = length
                    break
        return text[: len(text) - drop] if drop else text

    def _cut_fields(self, text: str) -> str:
        self._shape_patterns()
        if self._opener is None:
            return text
        shown: List[str] = []
        position = 0
        for match in self._opener.finditer(text):
            if match.start() < position:
                continue
            rest = text[match.end() :]
            if not rest:
                break
            if rest[0] in "{[":
                end = _container_end(rest)
                shown.append(text[position : match.end()] + MASK)
                if end is None:
                    return "".join(shown)
                position = match.end() + end
            elif not re.match(_VALUE, rest):
                shown.append(text[position : match.end()] + MASK)
                return "".join(shown)
        shown.append(text[position:])
        return "".join(shown)

    def _shape_patterns(self) -> List[Tuple[Pattern[str], Any]]:
        """The shapes credentials take in text, for the masked headers and fields.

        Built for the names in use, so that each pattern only matches where a
        credential stands: the regular expression engine skips the rest of a
        text quickly (every log message passes here)."""
        if self._patterns is None:
            self._opener = None
            names = "|".join(re.escape(name) for name in sorted(self.names)) or "(?!)"
            # 'Authorization': 'Bearer x' / "cookie": "a=1" in a logged dict, e.g.
            # Robot's own TRACE dump of keyword arguments (first: scrub() relies on it).
            header = re.compile(rf"""(?i)(['"](?:{names})['"]\s*:\s*)(['"])((?:(?!\2).)*)\2""")
            patterns: List[Tuple[Pattern[str], Any]] = [(header, rf"\1\2{MASK}\2")]
            if self.fields:
                # a field name in any case, with any _ and - around and between its letters
                keys = "|".join(
                    _SEPARATORS + _SEPARATORS.join(re.escape(char) for char in key) + _SEPARATORS
                    for key in sorted(self.fields, key=len, reverse=True)
                )
                quoted = rf"""(?P<q>['"])(?P<key>{keys})(?P=q)"""
                # "password": "x" / 'token': 42 (JSON, Python dicts)
                patterns.append((re.compile(rf"(?i){quoted}(?P<sep>\s*:\s*)(?P<value>{_VALUE})"), _masked_value))
                # ["password", "x"] / ('token', 'y') (name-value pairs)
                patterns.append(
                    (re.compile(rf"(?i)(?P<open>[\[(]\s*){quoted}(?P<sep>\s*,\s*)(?P<value>{_VALUE})(?=\s*[\])])"), _masked_value)
                )
                # ?api_key=x&token=y (query strings, form bodies)
                patterns.append((re.compile(rf"(?im)(?:^|(?<=[?&]))(?P<key>{keys})=(?P<value>[^&#\s'\"]+)"), rf"\g<key>={MASK}"))
                # "password": / ["token", - where a value starts (see cut())
                self._opener = re.compile(rf"""(?i)(?:(['"])(?:{keys})\1\s*:|(?<=[\[(])\s*(['"])(?:{keys})\2\s*,)\s*""")
            self._patterns = patterns
        return self._patterns


def _container_end(text: str) -> Optional[int]:
    """Where the JSON object or list ``text`` starts with ends (the index
    after its closing bracket), or None if the text ends first."""
    depth = 0
    quote = ""
    escaped = False
    for index, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _masked_value(match: Match[str]) -> str:
    value = match.group("value")
    masked = f"{value[0]}{MASK}{value[0]}" if value[0] in "\"'" else MASK
    opening = match.groupdict().get("open") or ""
    return f"{opening}{match.group('q')}{match.group('key')}{match.group('q')}{match.group('sep')}{masked}"


def _masked_pair(pair: str) -> str:
    name, separator, _ = pair.partition("=")
    return f"{name}={MASK}" if separator else MASK


def _leaves(value: Any) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [json.dumps(value)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return []

