"""Proton's error types, serialised as AWS's JSON 1.0 protocol answers them.

moto's `JsonRESTError` already writes `{"__type", "message"}` and the `x-amzn-ErrorType`
header; what the botocore model lacks is each error's HTTP status, so it is set here from
AWS's Smithy model (the botocore JSON model does not carry `httpStatusCode` for Proton).
"""

from moto.core.exceptions import JsonRESTError

CONTENT_TYPE = "application/x-amz-json-1.0"


class ProtonError(JsonRESTError):
    code = 400
    error_type = "ProtonError"

    def __init__(self, message: str):
        super().__init__(self.error_type, message)
        self.content_type = CONTENT_TYPE


class ValidationException(ProtonError):
    code = 400
    error_type = "ValidationException"


class AccessDeniedException(ProtonError):
    code = 403
    error_type = "AccessDeniedException"


class ResourceNotFoundException(ProtonError):
    code = 404
    error_type = "ResourceNotFoundException"


class ConflictException(ProtonError):
    code = 409
    error_type = "ConflictException"


class ServiceQuotaExceededException(ProtonError):
    code = 402
    error_type = "ServiceQuotaExceededException"


class ThrottlingException(ProtonError):
    code = 429
    error_type = "ThrottlingException"


class InternalServerException(ProtonError):
    code = 500
    error_type = "InternalServerException"


class InvalidSignatureException(ProtonError):
    """The request's SigV4 credential scope names no Region Proton is served in."""

    code = 403
    error_type = "InvalidSignatureException"


class SerializationException(ProtonError):
    """The body is not a JSON object (what AWS JSON services answer)."""

    error_type = "SerializationException"


class UnknownOperationException(ProtonError):
    """No `X-Amz-Target`, or one that names no Proton operation."""

    error_type = "UnknownOperationException"


class NotImplementedYetException(ProtonError):
    """A real Proton operation that moto_proton does not serve yet."""

    error_type = "NotImplementedYetException"

    def __init__(self, operation: str):
        super().__init__(
            f"moto_proton does not implement the Proton operation {operation} yet; "
            "the README lists the operations it implements."
        )
