"""The one request path of every Proton operation.

parse the JSON body -> check it against the botocore model -> call the backend method named
after the operation -> write the result in the output shape of the model. Adding an operation
means adding its backend method; nothing here changes.
"""

import functools
import logging
from typing import Any

from botocore import xform_name
from botocore.model import OperationModel, ServiceModel
from botocore.session import get_session
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse

from .exceptions import (
    CONTENT_TYPE,
    InternalServerException,
    NotImplementedYetException,
    ProtonError,
    SerializationException,
    UnknownOperationException,
)
from .models import PROTON_LOCK, ProtonBackend, proton_backends
from .serialization import response_body
from .validation import parse_and_validate

log = logging.getLogger(__name__)


@functools.cache
def service_model() -> ServiceModel:
    return get_session().get_service_model("proton")


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
        return proton_backends[self.current_account][self.region]  # type: ignore[no-any-return]

    def _dispatch(self, request: Any, full_url: str, headers: Any) -> TYPE_RESPONSE:
        try:
            try:
                self.setup_class(request, full_url, headers)
            except UnicodeDecodeError:
                raise SerializationException("The request body is not valid UTF-8")
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
            log.exception("moto_proton failed on %s", self.headers.get("X-Amz-Target"))
            return self._error(InternalServerException(f"{type(error).__name__}: {error}"))
        headers = {**self.response_headers, "Content-Type": CONTENT_TYPE}
        headers, body = self._enrich_response(headers, response_body(operation, result))
        return 200, headers, body

    def _error(self, error: ProtonError) -> TYPE_RESPONSE:
        headers = dict(self.response_headers) if hasattr(self, "response_headers") else {}
        headers.update(error.get_headers())
        headers, body = self._enrich_response(headers, error.get_body())
        return error.code, headers, body
