"""A shorter way from a botocore request to Proton under `mock_aws`, in the same process,
and a shorter routing of Proton's hosts in moto's server.

moto answers every mocked botocore request in `BotocoreStubber.process_request`: it matches
the URL against several hundred service patterns (Proton's come last), looks the service's
backend up, matches the URL again against the backend's paths, records the request and calls
the handler. For Proton the outcome of that matching depends only on the URL, so it is worked
out once per URL, by moto's own matching, and remembered: later requests to a URL whose first
match was Proton go straight to `BotocoreProtonResponse.answer_botocore`, after the checks
moto makes on every request (passthrough URLs and services, the service whitelist) and with
the request recorder called as moto calls it.

moto 5.2.6 turns every request into a werkzeug request (`normalize_request`) before it records
and dispatches it. Building one costs more than the rest of the shortcut, and for a JSON body
it reads what the botocore request holds: the shortcut reads the botocore request instead,
where the two readings agree (see `_text_headers`), and builds the werkzeug request only for
the recorder, while it records.

`install` wraps the `process_request` of moto's one stubber instance. The stubber does nothing
while `mock_aws` is off (it returns before `process_request`), so neither does this. Every
other request, and any Proton request the shortcut does not cover (an access key outside the
signature, a custom S3 endpoint set, a URL moto would give to another service, headers that
moto could read otherwise), takes moto's
own path unchanged. `install_server` does the same for the host lookup of moto's server. With
a moto outside the range this was checked against, or missing one of the functions used here,
nothing is installed and every request takes moto's path.
"""

import random
import re
import string
import threading
from collections.abc import Callable
from typing import Any, Optional

from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from moto.core.responses import BaseResponse
from moto.moto_api._internal import mock_random
from moto.utilities.aws_headers import gen_amzn_requestid_long

from ._plugin import SERVICE, _release
from .environment import environment_value
from .responses import MAX_URLS, NO_ACCESS_KEY, BotocoreProtonResponse, LowerCaseHeaders

#: The moto releases whose request path the shortcuts were checked against: 5.1.22 and 5.2.1,
#: and 5.2.5 and 5.2.6, which build a werkzeug request in `process_request` (told apart by
#: `_moto_internals`).
CHECKED_MOTO = ((5, 1, 22), (5, 3))
#: Only such URLs can take the shortcut; any other request pays one `startswith`.
URL_PREFIXES = ("https://proton.", "http://proton.")
HOST_PREFIX = "proton."
CUSTOM_ENDPOINTS = "MOTO_S3_CUSTOM_ENDPOINTS"

_lock = threading.Lock()
#: URL -> whether moto's matching sends it to Proton's dispatch, for one list of patterns.
_routes: dict[str, bool] = {}
_routes_for: list[int] = [-1]  # the length of moto's pattern list that `_routes` was built for
_enabled = [True]


def set_enabled(enabled: bool) -> bool:
    """Turn the shortcut on or off (tests compare both paths); the previous setting."""
    previous = _enabled[0]
    _enabled[0] = enabled
    return previous


def _checked_release(version: str) -> bool:
    lowest, above = CHECKED_MOTO
    return lowest <= _release(version) < above


def _moto_internals() -> Optional[dict[str, Any]]:
    """The moto functions the shortcut calls, or None where this moto differs."""
    try:
        import moto
        import moto.backend_index as backend_index
        import moto.backends as backends
        from moto.core import botocore_stubber as stubber_module
        from moto.core import config, models, utils
        from moto.core.exceptions import ServiceNotWhitelisted
        from moto.moto_api import recorder
        from werkzeug.exceptions import HTTPException  # what moto catches, re-exported
    except ImportError:
        return None
    if not _checked_release(moto.__version__):
        return None
    stubber = getattr(models, "botocore_stubber", None)
    # Later moto releases (5.2.6) turn every request into a werkzeug request in
    # `process_request` and record and dispatch that one. The shortcut then reads the botocore
    # request as that werkzeug request reads (see `_text_headers`), and builds the werkzeug
    # request only for the recorder, when it records: its `_record_request` must be the one
    # that returns at once while recording is off.
    normalize = getattr(stubber_module, "normalize_request", None)
    if normalize is not None and not _records_only_when_enabled(recorder):
        return None
    found = {
        "stubber": stubber,
        "original": getattr(stubber, "process_request", None),
        "patterns": getattr(backend_index, "backend_url_patterns", None),
        "get_backend": getattr(backends, "get_backend", None),
        "to_aws_domain": getattr(utils, "get_equivalent_url_in_aws_domain", None),
        "passthrough_url": getattr(config, "passthrough_url", None),
        "passthrough_service": getattr(config, "passthrough_service", None),
        "service_whitelisted": getattr(config, "service_whitelisted", None),
        "record": getattr(recorder, "_record_request", None),
        "HTTPException": HTTPException,
        "ServiceNotWhitelisted": ServiceNotWhitelisted,
    }
    if any(value is None for value in found.values()) or not hasattr(stubber, "enabled"):
        return None
    return {**found, "normalize": normalize, "recorder": recorder}


def _records_only_when_enabled(recorder: Any) -> bool:
    """Whether moto's recorder keeps its on/off switch where this module reads it."""
    record = getattr(recorder, "_record_request", None)
    code = getattr(getattr(record, "__func__", None), "__code__", None)
    return (
        code is not None
        and "_user_enabled" in code.co_names
        and isinstance(getattr(recorder, "_user_enabled", None), bool)
    )


def _moto_routes_to_proton(url: str, moto: dict[str, Any]) -> bool:
    """Whether moto's own matching, as `process_request` does it, hands `url` to Proton's
    dispatch: the URL needs no translation to the AWS domain (with no custom S3 endpoints set,
    which the shortcut checks on every request), carries no query string, its
    first matching service pattern is Proton's, and so is the backend path it matches."""
    from moto.core.models import DEFAULT_ACCOUNT_ID

    from .responses import ProtonResponse

    parsed, translated = moto["to_aws_domain"](url)
    clean_url = f"{parsed.scheme}://{parsed.netloc}{parsed.path}"
    if translated or clean_url != url or parsed.path != "/":
        return False
    first = next((name for name, pattern in moto["patterns"] if pattern.match(url)), None)
    if first != SERVICE:
        return False
    backend = moto["get_backend"](SERVICE)[DEFAULT_ACCOUNT_ID]["us-east-1"]
    handler = next((h for path, h in backend.urls.items() if re.compile(path).match(url)), None)
    dispatch = getattr(ProtonResponse.dispatch, "__func__", None)
    return dispatch is not None and getattr(handler, "__func__", None) is dispatch


def _routed_to_proton(url: str, moto: dict[str, Any]) -> bool:
    patterns = len(moto["patterns"])
    known = _routes.get(url) if _routes_for[0] == patterns else None
    if known is not None:
        return known
    routed = _moto_routes_to_proton(url, moto)
    with _lock:
        if _routes_for[0] != patterns:
            _routes.clear()
            _routes_for[0] = patterns
        if len(_routes) < MAX_URLS:
            _routes[url] = routed
    return routed


KEY_LIKE = re.compile(r"[A-Z0-9]{20}")


def _access_key(request: Any, headers: LowerCaseHeaders) -> Optional[str]:
    """The caller's access key as moto reads it: from the signature, else moto's default; None
    when moto could find one elsewhere (it also looks in the query string, in the body read
    as a form and in a header named AWSAccessKeyId), or the body is compressed or a stream:
    only moto's path reads those."""
    authorization = headers.get("Authorization")
    # moto's pattern backtracks through the whole header when it finds no key; a key is 20
    # capitals or digits in a row, so where there is no such run it cannot match.
    if authorization and KEY_LIKE.search(authorization):
        signed = BaseResponse.access_key_regex.search(authorization)
        if signed:
            return signed.group(1)
    if "Content-Encoding" in headers or "AWSAccessKeyId" in headers:
        return None
    body = request.body
    if body is None or (isinstance(body, bytes) and b"AWSAccessKeyId" not in body):
        return NO_ACCESS_KEY
    if isinstance(body, str) and "AWSAccessKeyId" not in body:
        return NO_ACCESS_KEY
    return None


#: Writes the values botocore left as bytes back into its request as text, as moto does.
WriteBack = Callable[[], None]


def _text_headers(request: Any) -> tuple[Optional[LowerCaseHeaders], WriteBack]:
    """The request's headers as text by lower-case name (botocore holds most values as bytes),
    and how to write them back decoded. No headers (moto's path) where moto's readings could
    differ from this one: a value that is not UTF-8 or holds a line break (moto raises on
    them), a name twice (a werkzeug request joins the values; botocore's prepared requests
    hold one), a name with an underscore (a werkzeug request reads it as a dash), a Host header
    naming another host than the URL (a werkzeug request takes its URL, and so its Region, from
    the Host header)."""
    read = _read_headers_at_once(request.headers)
    if read is None:
        return _read_each_header(request)
    headers, write_back = read
    if "_" in "".join(headers) or _LINE_BREAK.search("".join(headers.values())):
        return None, _nothing
    return _checked_host(headers, request.url), write_back


_LINE_BREAK = re.compile("[\r\n]")


def _nothing() -> None:
    pass


def _read_headers_at_once(mapping: Any) -> Optional[tuple[LowerCaseHeaders, WriteBack]]:
    """The usual botocore request, read from the dict inside botocore's mapping, which keeps
    each name with its lower-case form (one entry per lower-case name); None where the mapping
    is another, or a value neither text nor UTF-8 bytes."""
    if type(mapping) is not HeadersDict:
        return None
    entries = getattr(mapping, "_dict", None)
    if type(entries) is not dict:
        return None
    try:
        names = [key._lower for key in entries]
        values = [v.decode("utf-8") if type(v) is bytes else v for v in entries.values()]
    except (AttributeError, UnicodeDecodeError):
        return None
    if any(type(value) is not str for value in values):
        return None

    def write_back() -> None:
        entries.update(
            [(key, text) for key, text in zip(entries, values) if entries[key] is not text]
        )

    return LowerCaseHeaders(zip(names, values)), write_back


def _checked_host(headers: LowerCaseHeaders, url: str) -> Optional[LowerCaseHeaders]:
    host = dict.get(headers, "host")
    return None if host is not None and host != url.split("/")[2] else headers


def _read_each_header(request: Any) -> tuple[Optional[LowerCaseHeaders], WriteBack]:
    """`_text_headers` one header at a time, through the mapping's own interface."""
    headers = LowerCaseHeaders()
    undecoded = []
    for name, value in request.headers.items():
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                return None, _nothing
            undecoded.append(name)
        key = name.lower()
        if key in headers or "_" in key or "\n" in value or "\r" in value:
            return None, _nothing
        dict.__setitem__(headers, key, value)

    def write_back() -> None:
        for name in undecoded:
            request.headers[name] = headers[name]

    return _checked_host(headers, request.url), write_back


def _shortcut(moto: dict[str, Any]) -> Callable[[Any], Any]:
    original = moto["original"]
    passthrough_url = moto["passthrough_url"]
    passthrough_service = moto["passthrough_service"]
    service_whitelisted = moto["service_whitelisted"]
    record = moto["record"]
    http_exception = moto["HTTPException"]
    normalize = moto["normalize"]
    recorder = moto["recorder"]

    def process_request(request: Any) -> Any:
        url = request.url
        if (
            not url.startswith(URL_PREFIXES)
            or not isinstance(request, AWSPreparedRequest)  # not a `requests` call, say
            or not _enabled[0]
            or environment_value(CUSTOM_ENDPOINTS)
            is not None  # may map any host to S3: moto's path sees to it
            or not _routed_to_proton(url, moto)
        ):
            return original(request)
        if normalize is not None and not isinstance(request.body, (bytes, str)):
            return original(request)  # moto reads a stream, or no body, into a werkzeug request
        headers, write_back = _text_headers(request)
        access_key = None if headers is None else _access_key(request, headers)
        if headers is None or access_key is None:
            return original(request)
        # What moto checks and does for every request it matched, in its order.
        if passthrough_url(url) or passthrough_service(SERVICE):
            return None
        if not service_whitelisted(SERVICE):
            raise moto["ServiceNotWhitelisted"](SERVICE)
        if normalize is None:
            write_back()  # as moto does, before the recorder copies them
            recorded = request
        else:  # the recorder returns at once while it is off: then nothing to build for it
            recorded = normalize(request) if recorder._user_enabled else None
        try:
            if recorded is not None:
                record(recorded)
            # moto's own request gets a missing Host header where moto hands that one over.
            return BotocoreProtonResponse.answer_botocore(
                request, headers, access_key, request_host=normalize is None
            )
        except http_exception as error:
            return error.code, error.get_headers(), error.get_body()

    process_request.proton_shortcut = original  # type: ignore[attr-defined]
    return process_request


_ID_LETTERS = string.ascii_letters + string.digits
_ID_LENGTH = 52


#: A byte -> the letter its top 6 bits pick, for `bytes.translate`; bytes whose top 6 bits are
#: 62 or 63 (no letter: `Random.choice` draws again) are deleted.
_BYTE_TO_LETTER = bytes(ord(_ID_LETTERS[byte >> 2]) if byte >> 2 < 62 else 0 for byte in range(256))
_NO_LETTER = bytes(byte for byte in range(256) if byte >> 2 >= len(_ID_LETTERS))


def _draw_id(source: random.Random) -> str:
    """moto's request id (52 letters or digits) drawn as `Random.choice` draws each of them:
    `getrandbits(6)`, the top 6 bits of the generator's next 32-bit word, until one is below
    62. `getrandbits(32 * n)` hands out the next n words, the first one lowest, so one call
    makes the first 52 draws; a draw that picked no letter is made up for one at a time."""
    words = source.getrandbits(32 * _ID_LENGTH).to_bytes(4 * _ID_LENGTH, "little")
    letters = words[3::4].translate(_BYTE_TO_LETTER, _NO_LETTER).decode("ascii")
    while len(letters) < _ID_LENGTH:
        bits = source.getrandbits(6)
        if bits < len(_ID_LETTERS):
            letters += _ID_LETTERS[bits]
    return letters


def _draws_as_moto() -> bool:
    """Whether `_draw_id` gives moto's ids from the same seed (it relies on how
    `random.Random.choice` and moto's letters work), so that `/moto-api/seed` still makes
    every id that follows repeatable."""
    from moto.moto_api._internal.moto_random import MotoRandom

    theirs, ours = MotoRandom(7), MotoRandom(7)
    return (
        all(theirs.get_random_string(length=_ID_LENGTH) == _draw_id(ours) for _ in range(8))
        and theirs.random() == ours.random()
    )


def _moto_request_id() -> str:
    return gen_amzn_requestid_long()


def _fast_request_id() -> str:
    return _draw_id(mock_random)


def install() -> bool:
    """Put the shortcut in front of moto's `process_request`; idempotent. False (and moto's
    path for everything) where this moto's internals differ from the checked ones."""
    moto = _moto_internals()
    if moto is None:
        return False
    if hasattr(moto["original"], "proton_shortcut"):
        return True
    # The request id of an answer on the shortcut: moto's own generator unless ours is checked
    # to draw the same ids.
    draw = _fast_request_id if _draws_as_moto() else _moto_request_id
    BotocoreProtonResponse.new_request_id = staticmethod(draw)  # type: ignore[assignment]
    moto["stubber"].process_request = _shortcut(moto)
    return True


def install_server() -> bool:
    """In moto's server, remember which service a Proton host belongs to. moto works it out on
    every request (`DomainDispatcherApplication.get_backend_for_host`: a listing of moto's
    package directory, then its URL patterns, Proton's last); the answer for a host depends
    only on those patterns, so it is kept per host and list length, and only where it is
    Proton. Idempotent; False (moto's path) where this moto differs."""
    import moto

    if not _checked_release(moto.__version__):
        return False
    try:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    except ImportError:  # moto without its [server] extra
        return False
    original = getattr(DomainDispatcherApplication, "get_backend_for_host", None)
    if original is None:
        return False
    if hasattr(original, "proton_shortcut"):
        return True
    known: dict[tuple[str, int], str] = {}

    def get_backend_for_host(self: Any, host: Optional[str]) -> Any:
        if not isinstance(host, str) or not host.startswith(HOST_PREFIX) or not _enabled[0]:
            return original(self, host)
        key = (host, len(self.backend_url_patterns))
        backend = known.get(key)
        if backend is None:
            backend = original(self, host)
            if backend == SERVICE and len(known) < MAX_URLS:
                known[key] = backend
        return backend

    get_backend_for_host.proton_shortcut = original  # type: ignore[attr-defined]
    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host  # type: ignore[method-assign]
    return True


def installed() -> bool:
    from moto.core import models

    stubber = getattr(models, "botocore_stubber", None)
    return hasattr(getattr(stubber, "process_request", None), "proton_shortcut")
