"""Every error a client can get, each with an HTTP status and a stable `code`.

Handlers render them as RFC 9457 problem+json; nothing else reaches a client.
"""

from __future__ import annotations


class IngressError(Exception):
    """Base of the ingress errors: a status, a stable code and a plain message."""

    status = 500
    code = "INTERNAL"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class Unauthenticated(IngressError):
    status, code = 401, "UNAUTHENTICATED"


class Forbidden(IngressError):
    status, code = 403, "FORBIDDEN"


class NotFound(IngressError):
    status, code = 404, "NOT_FOUND"


class IdempotencyConflict(IngressError):
    status, code = 409, "IDEMPOTENCY_KEY_REUSED"


class RunFinished(IngressError):
    status, code = 409, "RUN_FINISHED"


class BadRequest(IngressError):
    status, code = 400, "BAD_REQUEST"


class PayloadTooLarge(IngressError):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class RateLimited(IngressError):
    status, code = 429, "RATE_LIMITED"


class ApprovalClosed(IngressError):
    status, code = 409, "APPROVAL_CLOSED"
