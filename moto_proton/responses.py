"""The one request path of every Proton operation.

parse the JSON body -> check it against the botocore model -> call the backend method named
after the operation -> write the result in the output shape of the model. Adding an operation
means adding its backend method; nothing here changes.
"""

import functools
import logging
import re
import zlib
from collections.abc import Callable
from typing import Any

from botocore import xform_name
from botocore.model import OperationModel
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse
from moto.core.utils import gzip_decompress, utcnow
from moto.utilities.utils import get_partition
from werkzeug.http import http_date

from .api_model import service_model
from .exceptions import (
    CONTENT_TYPE,
    InternalServerException,
    InvalidSignatureException,
    NotImplementedYetException,
    ProtonError,
    SerializationException,
    UnknownOperationException,
    ValidationException,
)
from .models import PROTON_LOCK, ProtonBackend, proton_backends
from .serialization import response_body
from .validation import parse_and_validate

log = logging.getLogger(__name__)

#: The largest request body read, once inflated (1 MiB; no valid Proton request comes near
#: it). A larger one is a ValidationException, before any parsing.
MAX_REQUEST_BYTES = 1024 * 1024
#: Bodies are read as AWS's JSON protocol only: a request without Content-Type is read as
#: JSON too; any other type (a form, text/plain, application/json) is a SerializationException,
#: answered before moto would read a form body.
JSON_CONTENT_TYPES = ("application/x-amz-json-1.0", "application/x-amz-json-1.1")


def _header(headers: Any, name: str) -> str:
    """A request header, whatever the spelling of its name (plain dicts in server mode)."""
    if isinstance(headers, LowerCaseHeaders):
        return str(headers.get(name, ""))
    return next((str(v) for k, v in headers.items() if k.lower() == name.lower()), "")


def _check_content_type(headers: Any) -> None:
    media_type = _header(headers, "Content-Type").split(";")[0].strip().lower()
    if media_type and media_type not in JSON_CONTENT_TYPES:
        raise SerializationException(
            f"Content-Type {media_type} is not supported: send the request body as JSON with "
            f"Content-Type {JSON_CONTENT_TYPES[0]}."
        )


def _still_gzipped(request: Any) -> bool:
    """Whether moto still has to inflate this body. moto >= 5.2.5 inflates it once itself (in
    `decompress_request_body`); older servers inflate it before `setup_class` too, which then
    inflated it again, so there only a body still gzipped may be inflated."""
    if hasattr(BaseResponse, "decompress_request_body"):
        return True
    body = request.body if hasattr(request, "body") else request.data
    return isinstance(body, bytes) and body[:2] == b"\x1f\x8b"


def _check_size(body: Any) -> None:
    size = len(body.encode("utf-8") if isinstance(body, str) else body or b"")
    if size > MAX_REQUEST_BYTES:
        raise ValidationException(
            f"The request body is {size} bytes; AWS Proton accepts at most "
            f"{MAX_REQUEST_BYTES} bytes."
        )


@functools.cache
def _operation(target: str) -> OperationModel:
    model = service_model()
    prefix, _, name = target.partition(".")
    if prefix != model.metadata["targetPrefix"] or name not in model.operation_names:
        raise UnknownOperationException(f"Unknown operation: X-Amz-Target {target!r}")
    return model.operation_model(name)


class ProtonResponse(BaseResponse):
    def __init__(self) -> None:
        super().__init__(service_name="proton")

    @property
    def proton_backend(self) -> ProtonBackend:
        regions = proton_backends[self.current_account]
        try:
            return regions[self.region]  # type: ignore[no-any-return]
        except KeyError:  # a garbled credential scope or host
            raise InvalidSignatureException(
                f"Credential should be scoped to a valid region, not '{self.region}'."
            )

    def _dispatch(self, request: Any, full_url: Any = None, headers: Any = None) -> TYPE_RESPONSE:
        """moto's generic path: any request object moto hands over (botocore's in process,
        werkzeug's in the server), read by moto's `setup_class`."""
        headers = request.headers if headers is None else headers
        return self._answer(request, headers, lambda: self.setup_class(request, full_url, headers))

    def _answer(self, request: Any, headers: Any, setup: Callable[[], None]) -> TYPE_RESPONSE:
        try:
            _check_content_type(headers)
            # moto's server has already inflated a gzip body: inflate only one still gzipped.
            self.allow_request_decompression = _still_gzipped(request)
            try:
                setup()
            except UnicodeDecodeError:
                raise SerializationException("The request body is not valid UTF-8")
            except (OSError, EOFError, zlib.error):
                raise SerializationException("The request body is not valid gzip")
            _check_size(self.body)
            target = self.headers.get("X-Amz-Target")
            if not target:
                raise UnknownOperationException("Missing header X-Amz-Target")
            operation = _operation(target)
            params = parse_and_validate(operation, self.body)
            handler = getattr(self.proton_backend, xform_name(operation.name), None)
            if handler is None:
                raise NotImplementedYetException(operation.name)
            kwargs = {xform_name(name): value for name, value in params.items()}
            with PROTON_LOCK:
                result = handler(**kwargs)
        except ProtonError as error:
            return self._error(error)
        except Exception as error:  # a bug of ours: answer like AWS, never with a traceback
            log.exception("moto_proton failed on %s", _header(headers, "X-Amz-Target"))
            return self._error(InternalServerException(f"{type(error).__name__}: {error}"))
        headers = {**self.response_headers, "Content-Type": CONTENT_TYPE}
        headers, body = self._enrich_response(headers, response_body(operation, result))
        return 200, headers, body

    def _error(self, error: ProtonError) -> TYPE_RESPONSE:
        headers = dict(self.response_headers) if hasattr(self, "response_headers") else {}
        headers.update(error.get_headers())
        headers, body = self._enrich_response(headers, error.get_body())
        return error.code, headers, body


class LowerCaseHeaders(dict[str, str]):
    """A request's headers by lower-case name, found in any spelling at a dict's cost (botocore's
    own headers mapping builds a case-folding key object for every lookup)."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def __setitem__(self, name: str, value: str) -> None:
        super().__setitem__(name.lower(), value)


#: The last second formatted for the Date header, and its text (one formatting per second).
_last_date: tuple[Any, str] = (None, "")


def _date_header() -> str:
    global _last_date
    now = utcnow().replace(microsecond=0)
    second, text = _last_date
    if second != now:
        text = http_date(now)
        _last_date = (now, text)
    return text


class BotocoreProtonResponse(ProtonResponse):
    """The shortcut's reading of a request (see `moto_proton._fast_path`): a botocore request
    that moto would route to Proton, whose access key, if any, is in its signature. It sets
    what `setup_class` sets and this class reads, with the same side effect on IAM (the access
    key's last use), and answers with the same headers; it leaves out the query string and
    form parsing (a JSON body has neither) and the URL parts nothing here reads."""

    @classmethod
    def answer_botocore(
        cls, request: Any, headers: LowerCaseHeaders, access_key: str, request_host: bool = True
    ) -> TYPE_RESPONSE:
        """The answer to `request`; `request_host`: whether a missing Host header is added to
        the botocore request too (where moto hands that request to its handlers)."""
        response = cls()
        response.access_key = access_key
        setup = lambda: response._setup(request, headers, request_host)  # noqa: E731
        return response._answer(request, headers, setup)

    def get_access_key(self) -> str:
        """Read from the signature by the shortcut already, the way moto reads it."""
        return self.access_key

    def _setup(self, request: Any, headers: LowerCaseHeaders, request_host: bool) -> None:
        from moto.iam.models import mark_account_as_visited

        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        self.raw_body = body
        if self.allow_request_decompression and headers.get("Content-Encoding") == "gzip":
            body = gzip_decompress(body)
        self.body = body.decode("utf-8") if isinstance(body, bytes) else body
        self.uri = request.url
        self.method = request.method
        self.querystring = {}
        self.headers = headers
        if "host" not in headers:  # moto adds it to the request, where later handlers see it
            headers["host"] = request.url.split("/")[2]
            if request_host:
                request.headers["host"] = headers["host"]
        # moto reads only the `headers` of what it is given here; these are text, where
        # botocore may still hold bytes (moto 5.2.6 no longer decodes the botocore request).
        self.region = self.get_region_from_url(self, request.url)
        self.partition = get_partition(self.region)
        self.response_headers = {"server": "amazon.com", "date": _date_header()}
        self.current_account = self.get_current_account()
        mark_account_as_visited(
            account_id=self.current_account,
            access_key=self.access_key,
            service=self.service_name,  # type: ignore[arg-type]
            region=self.region,
        )

    @staticmethod
    def _enrich_response(  # type: ignore[misc]
        headers: dict[str, str], body: Any
    ) -> tuple[dict[str, str], Any]:
        """moto's `_enrich_response`, with the same request id from moto's random source (see
        `moto_proton._fast_path.request_id`), and its XML substitution run only on a body that
        holds the element it replaces."""
        from ._fast_path import request_id

        if "status" in headers:
            headers["status"] = str(headers["status"])
        headers["x-amzn-requestid"] = identifier = request_id()
        if isinstance(body, str) and "<RequestId>" in body:
            body = re.sub(r"(?<=<RequestId>).*(?=<\/RequestId>)", identifier, body)
        return headers, body
