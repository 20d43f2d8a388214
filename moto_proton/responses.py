"""The one request path of every Proton operation.

parse the JSON body -> check it against the botocore model -> call the backend method named
after the operation -> write the result in the output shape of the model. Adding an operation
means adding its backend method; nothing here changes.
"""

import functools
import logging
import re
import time
import zlib
from collections.abc import Callable
from typing import Any

from botocore import xform_name
from botocore.model import OperationModel
from moto.core.common_types import TYPE_RESPONSE
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.responses import BaseResponse
from moto.core.utils import gzip_decompress
from moto.utilities.aws_headers import gen_amzn_requestid_long
from moto.utilities.utils import PARTITION_NAMES, get_partition
from werkzeug.http import http_date

from .api_model import service_model
from .environment import environment_value
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


_MOTO_INFLATES = hasattr(BaseResponse, "decompress_request_body")


def _still_gzipped(request: Any) -> bool:
    """Whether moto still has to inflate this body. moto >= 5.2.5 inflates it once itself (in
    `decompress_request_body`); older servers inflate it before `setup_class` too, which then
    inflated it again, so there only a body still gzipped may be inflated."""
    if _MOTO_INFLATES:
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


@functools.cache
def _python_names(operation: OperationModel) -> tuple[str, dict[str, str]]:
    """The backend method of an operation and its argument for each input member
    (`CreateService`: `create_service`; `templateName`: `template_name`)."""
    shape = operation.input_shape
    members = shape.members if shape is not None else {}  # type: ignore[attr-defined]
    return xform_name(operation.name), {name: xform_name(name) for name in members}


class ProtonResponse(BaseResponse):
    def __init__(self) -> None:
        super().__init__(service_name="proton")

    @property
    def proton_backend(self) -> ProtonBackend:
        # The backend of a known account and Region is read straight from moto's mappings,
        # whose own lookup takes a lock to make a missing one.
        known = dict.get(proton_backends, self.current_account)
        backend = None if known is None else dict.get(known, self.region)
        if backend is not None:
            return backend  # type: ignore[no-any-return]
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
            method, arguments = _python_names(operation)
            handler = getattr(self.proton_backend, method, None)
            if handler is None:
                raise NotImplementedYetException(operation.name)
            kwargs = {arguments[name]: value for name, value in params.items()}
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


#: At most this many URLs are remembered, here and by the shortcut's routing (a test may
#: invent Regions); others are read on every request.
MAX_URLS = 1024
#: URL -> the Region and partition it names.
_url_regions: dict[str, tuple[str, str]] = {}

#: The last second formatted for the Date header, and its text (one formatting per second).
_last_date: tuple[Any, str] = (None, "")


def _date_header() -> str:
    """moto's Date header (`http_date(utcnow())`), formatted once per second. The clock is
    read as `time.time()`, which the libraries that freeze moto's clock in tests freeze too."""
    global _last_date
    second, text = _last_date
    now = int(time.time())
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

    #: How the request id of an answer is drawn: moto's generator, unless the shortcut checked
    #: that its own draws the same ids from the same seed (`moto_proton._fast_path.install`).
    new_request_id: Callable[[], str] = staticmethod(gen_amzn_requestid_long)

    def get_access_key(self) -> str:
        """Read from the signature by the shortcut already, the way moto reads it."""
        return self.access_key

    def get_current_account(self) -> str:
        """moto's reading (`BaseResponse.get_current_account`), in its order: MOTO_ACCOUNT_ID,
        the x-moto-account-id header, the account whose IAM holds the access key, moto's
        default account."""
        account = environment_value("MOTO_ACCOUNT_ID")
        if account is not None:
            return account
        account = dict.get(self.headers, "x-moto-account-id")
        if account is not None:
            return account  # type: ignore[no-any-return]
        return _account_of_access_key(self.access_key)

    def _setup(self, request: Any, headers: LowerCaseHeaders, request_host: bool) -> None:
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
        # A missing Host header: moto adds it to the request, where later handlers see it.
        if not dict.__contains__(headers, "host"):
            headers["host"] = request.url.split("/")[2]
            if request_host:
                request.headers["host"] = headers["host"]
        # moto reads only the `headers` of what it is given here; these are text, where
        # botocore may still hold bytes (moto 5.2.6 no longer decodes the botocore request).
        self.region, self.partition = self._region_of(request.url)
        self.response_headers = {"server": "amazon.com", "date": _date_header()}
        self.current_account = self.get_current_account()
        _mark_access_key_used(self.current_account, self.access_key, self.region, self.partition)

    def _region_of(self, url: str) -> tuple[str, str]:
        """The Region and partition, as moto's `get_region_from_url` reads the Region: from the
        URL when it names one (remembered per URL: moto looks at the User-Agent first, in
        vain when the URL names it), else from the User-Agent or the signature."""
        known = _url_regions.get(url)
        if known is not None:
            return known
        match = self.region_regex.search(url)
        region = match.group(1) if match else self.get_region_from_url(self, url)
        found = (region, get_partition(region))
        if match and len(_url_regions) < MAX_URLS:
            _url_regions[url] = found
        return found

    @staticmethod
    def _enrich_response(  # type: ignore[misc]
        headers: dict[str, str], body: Any
    ) -> tuple[dict[str, str], Any]:
        """moto's `_enrich_response`, with the same request id from moto's random source (see
        `new_request_id`), and its XML substitution run only on a body that
        holds the element it replaces."""
        if "status" in headers:
            headers["status"] = str(headers["status"])
        headers["x-amzn-requestid"] = identifier = BotocoreProtonResponse.new_request_id()
        if isinstance(body, str) and "<RequestId>" in body:
            body = re.sub(r"(?<=<RequestId>).*(?=<\/RequestId>)", identifier, body)
        return headers, body


# moto reads the account of an access key, and marks the key used, on every request. Both walk
# IAM's backends through moto's mappings, which make each missing backend as they go. Where the
# backends they would look at all exist already (every request after the first), the functions
# below read them as moto does, without the mappings' bookkeeping; anywhere else, and whenever
# a key is found to mark, they hand over to moto's own functions. A request without an access
# key (moto's test credentials carry none that moto can read) walks nothing: moto's IAM only
# holds the 20-character keys it made (`AKIA...`, `ASIA...`), never its shorter placeholder.

#: The access key moto gives a request that carries none (`BaseResponse.get_access_key`).
NO_ACCESS_KEY = "AKIAEXAMPLE"


def _account_of_access_key(access_key: str) -> str:
    """`moto.iam.models.get_account_id_from`: the first account, in moto's order, whose IAM
    in some partition holds the access key; moto's default account if none does."""
    if access_key == NO_ACCESS_KEY:
        return DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from, iam_backends

    for account_id, account in list(iam_backends.items()):
        for partition in PARTITION_NAMES:
            backend = dict.get(account, partition)
            if backend is None:  # moto makes it here: let moto walk from the start
                return get_account_id_from(access_key)  # type: ignore[no-any-return]
            if access_key in backend.access_keys:
                return account_id  # type: ignore[no-any-return]
    return DEFAULT_ACCOUNT_ID


def _mark_access_key_used(account_id: str, access_key: str, region: str, partition: str) -> None:
    """`moto.iam.models.mark_account_as_visited` for Proton: nothing to do where the account's
    IAM in the partition exists and doesn't hold the key."""
    if access_key == NO_ACCESS_KEY:
        return
    from moto.iam.models import iam_backends, mark_account_as_visited

    account = dict.get(iam_backends, account_id)
    backend = None if account is None else dict.get(account, partition)
    if backend is None or access_key in backend.access_keys:
        mark_account_as_visited(
            account_id=account_id, access_key=access_key, service="proton", region=region
        )
