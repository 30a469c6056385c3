"""Contract testing keywords: responses checked against the app's OpenAPI
document, what a client's exchanges covered of it, and JSON Schema checks.

Needs the optional ``openapi`` extra; without it these keywords, and
``Open ASGI Client    openapi=``, fail saying how to install it.
"""
import os
import weakref
from typing import Any, Dict, List, Optional, Tuple

import requests
from robot.api import logger
from robot.api.deco import keyword

from ..contracts import Contract, OpenAPIDocument, load_document, read_schema, require_extra, schema_violations
from ..errors import ContractViolation, OpenAPIDocumentError
from ..store import Aliases, Kind, Registry
from ..testclient import TestClient
from .assertions import AssertionKeywords


class ContractKeywords(AssertionKeywords):
    """Checks against OpenAPI documents and JSON Schemas."""

    contracts: Registry[Contract]

    def _init_contracts(self) -> None:
        """The registry of the clients' contracts (by client alias): each is
        held on its client, so it ends - logging its coverage - when the client closes."""
        kind: Kind[Contract] = Kind(
            "OpenAPI contract", "OpenAPI contract", "Open ASGI Client", "contract", self._end_contract,
            closing="Logging the coverage of",
        )
        self.contracts = Registry(kind, Aliases())
        self._documents: "weakref.WeakKeyDictionary[TestClient, Dict[Tuple[str, float], OpenAPIDocument]]" = (
            weakref.WeakKeyDictionary()
        )

    # -- the hooks of Open ASGI Client and of the send path --------------------------------
    def _open_contract(self, alias: str, client: TestClient, openapi: str) -> None:
        """Checks every exchange of the client ``alias`` against the document
        ``openapi`` names from now on. If the document cannot be used, the
        client is closed again and the keyword fails."""
        try:
            require_extra("Open ASGI Client with openapi=")
            contract = Contract(self._document(client, openapi), client=alias)
        except BaseException:
            self.scopes.close(self.clients, alias)
            raise
        self.scopes.hold(self.contracts, alias, contract, parent=client)
        logger.info(f"Client '{alias}' checks every exchange against the {contract.document.describe()}.")

    def _contract_violation(self, client: Optional[str], response: requests.Response) -> Optional[str]:
        """For a client that checks its exchanges: records the response's
        operation and status, notes in the log a request that violates the
        document, and returns how the response (or a redirect) violates it."""
        alias = self.clients.resolve(client)
        if alias not in self.contracts:
            return None
        contract = self.contracts.get(alias)
        violations = []
        for step in [*response.history, response]:
            operation = contract.record(step)
            if operation is None:
                logger.info(
                    f"{step.request.method} {step.request.path_url} is no operation of the OpenAPI document: "
                    "the response is not checked (noted, not a failure)."
                )
                continue
            self._note_request(contract.document, step.request)
            violation = contract.document.response_violation(step)
            if violation is None:
                logger.info(f"The response of {operation.name} ({step.status_code}) matches the OpenAPI document.")
            else:
                violations.append(violation)
        return "\n".join(violations) or None

    def _note_request(self, document: OpenAPIDocument, request: requests.PreparedRequest) -> None:
        problems = document.request_problems(request)
        if problems:
            operation = document.operation(request.method or "GET", request.url or "/")
            name = operation.name if operation else f"{request.method} {request.path_url}"
            logger.info(
                f"The request does not match {name} in the OpenAPI document (noted, not a failure: "
                f"suites send invalid requests on purpose):\n{self.masker.scrub(problems)}"
            )

    def _end_contract(self, contract: Contract) -> None:
        self._log_on_close(f"OpenAPI coverage of client {contract.client}", contract.report())

    def _document(self, client: TestClient, openapi: str) -> OpenAPIDocument:
        """The document ``openapi`` names for ``client``, parsed once per client and source
        (and file modification time)."""
        known = self._documents.setdefault(client, {})
        key = (openapi, os.path.getmtime(openapi) if os.path.isfile(openapi) else 0.0)
        if key not in known:
            try:
                with self._app_errors():
                    document, source = load_document(openapi, client)
            finally:
                self._flush_app_logs()
            known[key] = OpenAPIDocument(document, source)
        return known[key]

    # -- keywords ----------------------------------------------------------------------------
    @keyword("Response Should Match OpenAPI", tags=["contracts"])
    def response_should_match_openapi(
        self, response: Optional[requests.Response] = None, openapi: str = "auto", client: Optional[str] = None
    ) -> None:
        """Fails unless the response (the last one when ``response`` is omitted)
        matches its operation in an OpenAPI document: a declared status, a
        declared content type, a body and headers that match their schemas.

        ``openapi`` is a file path (JSON, or YAML with the extra's PyYAML), the
        app's document URL path (``/openapi.json``, fetched in-process from
        ``client``, the current one by default), or ``auto``: the document the
        client checks against if it was opened with ``openapi=``, else
        ``/openapi.json`` (FastAPI) or ``/schema/openapi.json`` (Litestar).

        The failure names the operation and status, then each offending value
        by its JSON path and what the schema expects. A request that does not
        match the document is noted in the log, not failed. Works whether or
        not the client checks every response itself; needs the ``openapi`` extra.

        Examples:
        | ${resp}= | GET | /pets/1 |
        | Response Should Match OpenAPI | # the last response, the app's own document |
        | Response Should Match OpenAPI | ${resp} | openapi=${CURDIR}/petshop.yaml |
        | Response Should Match OpenAPI | openapi=/schema/openapi.json | client=shop |
        """
        require_extra("Response Should Match OpenAPI")
        resp = self._response(response)
        alias = self.clients.resolve(client)
        own = self.contracts.get(alias).document.source if alias in self.contracts else None
        if own is not None and (openapi.strip().lower() == "auto" or openapi.strip() == own):
            document = self.contracts.get(alias).document
        else:
            document = self._document(self.clients.get(alias), openapi)
        request = resp.request
        operation = document.operation(request.method or "GET", request.url or "/")
        if operation is None:
            raise ContractViolation(
                f"{request.method} {request.path_url} is no operation of the {document.describe()}: "
                f"operations: {', '.join(op.name for op in document.operations) or 'none'}."
            )
        self._note_request(document, request)
        violation = document.response_violation(resp)
        if violation is not None:
            raise ContractViolation(self.masker.scrub(violation))
        logger.info(f"The response of {operation.name} ({resp.status_code}) matches the {document.describe()}.")

    @keyword("Get OpenAPI Coverage", tags=["contracts"])
    def get_openapi_coverage(self, client: Optional[str] = None) -> Dict[str, List[int]]:
        """Returns what the client's requests covered of its OpenAPI document:
        a dictionary from each operation, ``METHOD /path/{template}``, to the
        list of status codes it answered (empty for an operation never exercised).

        The client must have been opened with ``openapi=``.

        | ${coverage}= | Get OpenAPI Coverage |
        | Should Be Equal | ${coverage}[GET /pets/{pet_id}] | ${{[200, 404]}} |
        | Should Be Empty | ${coverage}[DELETE /pets/{pet_id}] |
        """
        return self._contract(client).coverage()

    @keyword("Log OpenAPI Coverage", tags=["contracts"])
    def log_openapi_coverage(self, client: Optional[str] = None) -> str:
        """Logs, and returns, what the client's requests covered of its OpenAPI
        document: each operation with the status codes it answered, the
        declared ones never answered, and ``NEVER EXERCISED`` for operations
        no request reached; then requests to paths the document does not describe.

        The same is logged when the client closes. The client must have been
        opened with ``openapi=``.

        | Log OpenAPI Coverage |
        | Log OpenAPI Coverage | client=shop |
        """
        alias = self.clients.resolve(client)
        text: str = self._contract(alias).report()
        logger.info(text)
        return text

    @keyword("Json Should Match Schema", tags=["contracts", "assertions"])
    def json_should_match_schema(
        self, schema: Any, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the JSON body of the response (the last one when
        ``response`` is omitted) matches the JSON Schema ``schema``.

        ``schema`` is a dictionary, a JSON string or the path of a JSON file.
        Its ``$schema`` chooses the dialect (draft 2020-12 when it has none);
        formats are checked where jsonschema can. The failure lists each
        offending value by its JSON path, with what the schema expects; ``msg``
        replaces it. Needs the ``openapi`` extra (for jsonschema).

        | Json Should Match Schema | {"type": "object", "required": ["id", "name"]} |
        | Json Should Match Schema | ${CURDIR}/schemas/pet.json | response=${resp} |
        """
        require_extra("Json Should Match Schema", "jsonschema")
        wanted = read_schema(schema)
        body = self._json_body(self._response(response))
        violations = schema_violations(body, wanted)
        if violations:
            raise ContractViolation(
                msg or self.masker.scrub("The JSON body does not match the schema:\n" + "\n".join(f"  {line}" for line in violations))
            )

    def _contract(self, client: Optional[str]) -> Contract:
        require_extra("OpenAPI coverage")
        alias = self.clients.resolve(client)
        if alias not in self.contracts:
            raise OpenAPIDocumentError(
                f"Client '{alias}' does not check its exchanges against an OpenAPI document: "
                "open it with Open ASGI Client and openapi=auto (or the document's file or URL path)."
            )
        return self.contracts.get(alias)
