"""Keywords on a client's cookies: read them, add one, delete them all."""

from http.cookiejar import Cookie
from typing import Any, Dict, Optional

from requests.cookies import create_cookie
from robot.api import logger
from robot.api.deco import keyword
from robot.utils import DotDict  # type: ignore[import-untyped]

from ..data_types import Credential
from ..errors import ArgumentError, CheckFailed
from .base import LibraryComponent


class CookieKeywords(LibraryComponent):
    """The cookie jar of the current client (or the one named by ``client``):
    the cookies the app set and those the suite added, sent back with every
    request that matches their domain and path."""

    @keyword("Get Cookies", tags=["cookies"])
    def get_cookies(self, client: Optional[str] = None) -> Dict[str, str]:
        """Returns the client's cookies as a dictionary of name to value.

        A cookie the app set for several paths or domains under one name is
        there once, with one of its values; `Get Cookie` tells them apart.

        | GET | /login |
        | ${cookies}= | Get Cookies |
        | Should Be Equal | ${cookies}[consent] | yes |
        | Dictionary Should Contain Key | ${cookies} | session |
        """
        return {cookie.name: cookie.value or "" for cookie in self.clients.get(client).cookies}

    @keyword("Get Cookie", tags=["cookies"])
    def get_cookie(
        self, name: str, domain: Optional[str] = None, path: Optional[str] = None, client: Optional[str] = None
    ) -> DotDict:
        """Returns the client's cookie ``name`` with its attributes.

        The result is a dictionary whose items can also be read as attributes
        (``${cookie.value}``): ``name``, ``value``, ``domain``, ``path``,
        ``expires`` (seconds since the epoch, ``None`` for a cookie that ends
        with the session), ``secure``, ``httponly`` (``True`` or ``False``) and
        ``samesite`` (``Lax``, ``Strict``, ``None`` as the app wrote it, or
        ``None`` if it did not). The domain of a cookie the app set for its
        own host is that host (``testserver``).

        Fails if the client has no such cookie, or has several (for other
        domains or paths) and ``domain`` or ``path`` do not pick one.

        | ${cookie}= | Get Cookie | session |
        | Should Be True | ${cookie.httponly} |
        | Should Be Equal | ${cookie.samesite} | lax |
        | ${cookie}= | Get Cookie | prefs | path=/admin |
        """
        jar = self.clients.get(client).cookies
        found = [
            cookie
            for cookie in jar
            if cookie.name == name and domain in (None, _domain(cookie)) and path in (None, cookie.path)
        ]
        if not found:
            present = ", ".join(sorted({cookie.name for cookie in jar})) or "none"
            where = "".join(f" {what}={value!r}" for what, value in (("domain", domain), ("path", path)) if value is not None)
            raise CheckFailed(f"The client has no cookie '{name}'{where}. Cookies: {present}.")
        if len(found) > 1:
            places = ", ".join(f"domain={_domain(cookie)!r} path={cookie.path!r}" for cookie in found)
            raise CheckFailed(f"The client has {len(found)} cookies '{name}': {places}. Give domain= or path= to pick one.")
        return _describe(found[0])

    @keyword("Add Cookie", tags=["cookies"])
    def add_cookie(
        self,
        name: str,
        value: Credential,
        domain: Optional[str] = None,
        path: str = "/",
        client: Optional[str] = None,
    ) -> None:
        """Adds cookie ``name`` with ``value`` to the client's cookies, sent with
        every request from now on - to any host, or only to ``domain`` - whose
        path is under ``path``. A cookie of the same name, domain and path is
        replaced.

        ``value`` may be a Robot Framework ``Secret``; a cookie value the
        suite gives is masked in the log wherever it appears, if it is
        distinctive enough (see `Logging and credentials`).

        | Add Cookie | consent | yes |
        | Add Cookie | session | ${SESSION} | domain=testserver | path=/api |
        """
        if not name or any(char in name for char in "=; \t\r\n"):
            raise ArgumentError(f"Invalid cookie name {name!r}: give a name without '=', ';' or white space.")
        text = str(self._reveal("value", value))
        self._remember_credentials(cookies={name: text})
        session = self.clients.get(client)
        session.cookies.set_cookie(create_cookie(name, text, domain=domain or "", path=path))
        where = f" for {domain}" if domain else ""
        logger.info(f"Added cookie '{name}'{where}, path {path}.")

    @keyword("Delete All Cookies", tags=["cookies"])
    def delete_all_cookies(self, client: Optional[str] = None) -> None:
        """Deletes every cookie of the client: those the app set and those added.

        | Delete All Cookies |
        | GET | /me | expected_status=401 |
        """
        jar = self.clients.get(client).cookies
        count = len(jar)
        jar.clear()
        logger.info(f"Deleted {count} cookie{'' if count == 1 else 's'}.")


def _domain(cookie: Cookie) -> str:
    """The cookie's domain - the request's host for a cookie set without one,
    as the app sees it (Python's cookie jar adds ``.local`` to a host without
    a dot)."""
    domain = cookie.domain
    if not cookie.domain_specified and domain.endswith(".local") and "." not in domain[: -len(".local")]:
        return domain[: -len(".local")]
    return domain


def _describe(cookie: Cookie) -> DotDict:
    samesite: Any = None
    httponly = False
    for key, value in getattr(cookie, "_rest", {}).items():
        if key.lower() == "httponly":
            httponly = True
        elif key.lower() == "samesite":
            samesite = value
    return DotDict(
        name=cookie.name,
        value=cookie.value,
        domain=_domain(cookie),
        path=cookie.path,
        expires=cookie.expires,
        secure=bool(cookie.secure),
        httponly=httponly,
        samesite=samesite,
    )

