"""Idempotency-Key on POST: a retry gets the first response again, from any server process.

The key is claimed in the database before the route runs (per user; method, path and the
body's SHA-256 are its fingerprint) and the final response is stored after it. A retry with
the same key and fingerprint replays that response (`Idempotent-Replayed: true`); the same key
with another body or path is refused (422 idempotency_key_reused); a retry while the first is
still running gets 409 idempotency_in_progress. Server errors (5xx) are not stored: the key is
released so that the retry runs again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import FieldError, Problem, problem, problem_response
from workflow.store.api_repos import Claim, StoredResponse, bookkeeping

if TYPE_CHECKING:
    from api.deps import Services

HEADER = "idempotency-key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# Headers replayed with the body; the rest (date, server, length) belong to each response.
KEPT_HEADERS = ("content-type", "etag", "location", "content-disposition")


class IdempotencyMiddleware:
    """Pure ASGI middleware: it buffers only keyed POST bodies and passes the rest through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        services: Services = scope["app"].state.services
        username = services.tokens.username(headers.get("authorization"))
        if key is None or username is None:  # no key, or the route will answer 401
            await self.app(scope, receive, send)
            return
        if not _VALID_KEY.match(key):
            await _send_problem(scope, send, _invalid_key())
            return
        body, replay = await _read_body(receive)
        path = _target(scope)
        claim = await run_in_threadpool(
            _claim, services, username, key, path, hashlib.sha256(body).hexdigest()
        )
        if claim.outcome == "replay":
            assert claim.response is not None
            await _send_stored(send, claim.response)
            return
        if claim.outcome != "new":
            await _send_problem(scope, send, _refusal(claim, key))
            return
        captured = _Captured()
        try:
            await self.app(scope, replay, captured.wrap(send))
        except BaseException:
            await run_in_threadpool(_release, services, username, key)
            raise
        if captured.status >= 500:  # not an answer to replay: let the retry run again
            await run_in_threadpool(_release, services, username, key)
            return
        stored = captured.stored()
        await run_in_threadpool(_complete, services, username, key, stored)


def _target(scope: Scope) -> str:
    """The request target as sent (percent-encoded, so never a NUL), at most 2000 characters."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    target = raw.decode("latin-1")
    if scope.get("query_string"):
        target += "?" + scope["query_string"].decode("latin-1")
    if len(target) > 2000:  # the column's size; the hash keeps long targets apart
        target = target[:1900] + "#" + hashlib.sha256(target.encode("latin-1")).hexdigest()
    return target


@dataclass
class _Captured:
    """The response as it goes out: status, the headers worth replaying, the body."""

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: list[bytes] = field(default_factory=list)

    def wrap(self, send: Send) -> Send:
        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                for k, v in message.get("headers", []):
                    name = k.decode("latin-1").lower()
                    if name in KEPT_HEADERS:
                        self.headers[name] = v.decode("latin-1")
            elif message["type"] == "http.response.body":
                self.body.append(message.get("body", b""))
            await send(message)

        return capture

    def stored(self) -> StoredResponse:
        return StoredResponse(self.status, self.headers, b"".join(self.body))


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as Starlette expects

    return body, replay


def _claim(services: Services, username: str, key: str, path: str, sha: str) -> Claim:
    now = datetime.now(UTC)
    settings = services.settings
    with bookkeeping(services.db) as keys:
        claim = keys.claim(
            username,
            key,
            method="POST",
            path=path,
            body_sha256=sha,
            now=now,
            abandoned_before=now - timedelta(seconds=settings.idempotency_abandon_seconds),
            expired_before=now - timedelta(hours=settings.idempotency_hours),
        )
    return claim


def _complete(services: Services, username: str, key: str, response: StoredResponse) -> None:
    with bookkeeping(services.db) as keys:
        keys.complete(username, key, response, datetime.now(UTC))


def _release(services: Services, username: str, key: str) -> None:
    with bookkeeping(services.db) as keys:
        keys.release(username, key)


def _invalid_key() -> Problem:
    return problem(
        "invalid_idempotency_key",
        "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
        "Idempotency-Key phải gồm 1 đến 255 ký tự ASCII nhìn thấy được (ví dụ một UUID)",
        errors=[FieldError(field="header.idempotency-key", rule="format", message="invalid")],
    )


def _refusal(claim: Claim, key: str) -> Problem:
    if claim.outcome == "reused":
        method, path = claim.first or ("POST", "?")
        return problem(
            "idempotency_key_reused",
            f"Idempotency-Key {key!r} was first used for {method} {path} with another body;"
            " use a new key for a new request",
            f"khóa {key!r} đã dùng cho {method} {path} với nội dung khác; hãy dùng khóa mới",
            errors=[
                FieldError(
                    field="header.idempotency-key", rule="reused", message="used for another body"
                )
            ],
        )
    return problem(
        "idempotency_in_progress",
        f"a request with Idempotency-Key {key!r} is still running; retry when it has finished",
        f"yêu cầu cùng khóa {key!r} đang chạy; hãy thử lại khi yêu cầu đó xong",
        errors=[
            FieldError(field="header.idempotency-key", rule="in_progress", message="in progress")
        ],
    )


async def _send_problem(scope: Scope, send: Send, p: Problem) -> None:
    response = problem_response(p.model_copy(update={"instance": scope["path"]}))
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


async def _send_stored(send: Send, stored: StoredResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers.items()]
    headers.append((b"content-length", str(len(stored.body)).encode()))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body, "more_body": False})
