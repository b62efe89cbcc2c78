"""A client's walk through the workflow over HTTP (httpx): tokens, create, each transition.

`vanthu demo`, the end-to-end tests and bench/flow.py drive the server through this, each
transition with If-Match (the previous response's ETag) and a fresh Idempotency-Key.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

# (who, action) from a new draft to an archived document; the username is the role's name.
FULL_FLOW: tuple[tuple[str, str], ...] = (
    ("drafter", "submit"),
    ("unit_head", "approve"),
    ("format_checker", "pass-format"),
    ("signer", "sign"),
    ("clerk", "issue"),
    ("clerk", "dispatch"),
    ("clerk", "archive"),
)


class FlowError(RuntimeError):
    """The server refused a step; the message carries its problem code and messages."""


@dataclass(frozen=True)
class Step:
    user: str
    action: str
    status: int
    state: str
    seconds: float
    document: dict[str, Any]


def check(response: httpx.Response, what: str) -> httpx.Response:
    if response.is_success:
        return response
    try:
        p = response.json()
        detail = f"{p.get('code')}: {p.get('message_en')} / {p.get('message_vi')}"
    except ValueError:
        detail = response.text[:500]
    raise FlowError(f"{what}: HTTP {response.status_code} {detail}")


def login(client: httpx.Client, username: str, password: str) -> dict[str, str]:
    """Authorization headers for `username` (POST /auth/token)."""
    r = check(
        client.post("/auth/token", data={"username": username, "password": password}),
        f"log in as {username}",
    )
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def logins(client: httpx.Client, users: Iterable[str], password: str) -> dict[str, dict[str, str]]:
    return {u: login(client, u, password) for u in users}


def create(
    client: httpx.Client, auth: Mapping[str, str], content: Mapping[str, Any]
) -> tuple[dict[str, Any], str]:
    """POST /documents; the new document and its ETag."""
    headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
    r = check(client.post("/documents", json=dict(content), headers=headers), "create")
    return r.json(), r.headers["ETag"]


def act(
    client: httpx.Client,
    auth: Mapping[str, str],
    document_id: int,
    action: str,
    etag: str,
    comment: str | None = None,
) -> tuple[httpx.Response, float]:
    """POST /documents/{id}/actions/{action} with If-Match; the response and its duration."""
    headers = {**auth, "If-Match": etag, "Idempotency-Key": str(uuid.uuid4())}
    body = {"comment": comment} if comment else None
    start = time.perf_counter()
    r = client.post(f"/documents/{document_id}/actions/{action}", json=body, headers=headers)
    return r, time.perf_counter() - start


def walk(
    client: httpx.Client,
    auth: Mapping[str, Mapping[str, str]],
    document: Mapping[str, Any],
    etag: str,
    steps: Iterable[tuple[str, str]] = FULL_FLOW,
    on_step: Callable[[Step], None] | None = None,
) -> tuple[dict[str, Any], str]:
    """Take `steps` in order, each as its user; the final document and ETag."""
    doc = dict(document)
    for user, action in steps:
        r, seconds = act(client, auth[user], doc["id"], action, etag)
        check(r, f"{user} {action} document {doc['id']}")
        doc, etag = r.json(), r.headers["ETag"]
        if on_step is not None:
            on_step(Step(user, action, r.status_code, doc["state"], seconds, doc))
    return doc, etag


def download(
    client: httpx.Client, auth: Mapping[str, str], document_id: int, kind: str
) -> tuple[str, bytes]:
    """GET /documents/{id}/file?kind=…; the download name the server gave and the bytes."""
    r = check(
        client.get(f"/documents/{document_id}/file", params={"kind": kind}, headers=auth),
        f"download the {kind} file of document {document_id}",
    )
    return filename(r.headers["content-disposition"]), r.content


def filename(disposition: str) -> str:
    """The UTF-8 name (filename*) of a Content-Disposition header, else its plain filename."""
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename*" and value.lower().startswith("utf-8''"):
            return unquote(value[7:])
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename":
            return value.strip('"')
    return "download"
