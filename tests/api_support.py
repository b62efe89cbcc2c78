"""Shared plumbing for the API tests: apps on real databases, an in-process ASGI client, real
`vanthu serve` processes, logins, and the problem+json shape every error must have."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio.from_thread
import httpx
import yaml

from api.app import create_app
from api.demo_world import DEMO_PASSWORD
from api.server import serve_process
from api.settings import Settings
from workflow.content import DocumentContent

from .conftest import DOCUMENTS, ROOT, SEED

USERS = ("drafter", "unit_head", "format_checker", "signer", "clerk", "archivist", "admin")
SEED_JSON = yaml.safe_load(SEED.read_text(encoding="utf-8"))
# A công văn of the seed's issuer: the form a correction (đính chính) takes.
CONG_VAN_JSON = DocumentContent.model_validate(
    yaml.safe_load((DOCUMENTS / "cong-van-khan-mat-2023.yaml").read_text(encoding="utf-8"))
).model_dump(mode="json", exclude_none=True)
VANTHU = str(Path(sys.executable).with_name("vanthu"))
PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "message_vi", "message_en", "errors"}
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def demo_app(url: str):
    """The app on `url`, migrated and loaded with the demo world (as demo mode does)."""
    return create_app(Settings(database_url=url, demo=True))


class AsgiClient:
    """A synchronous face on httpx.AsyncClient + ASGITransport: the app in this process."""

    def __init__(self, app, base_url: str = "http://vanthu.test") -> None:
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
            base_url=base_url,
            timeout=60,
        )

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self._portal.call(lambda: self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal_cm.__exit__(None, None, None)


def token(client, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    r = client.post("/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def tokens(client, users=USERS) -> dict[str, dict[str, str]]:
    return {u: token(client, u) for u in users}


def assert_problem(r: httpx.Response, status: int, code: str) -> dict:
    """An application/problem+json body with the code, both languages and the right status."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert (body["status"], body["code"]) == (status, code), body
    assert body["type"] == f"urn:vanthu:problem:{code}"
    assert body["message_en"] and body["detail"] == body["message_en"]
    assert VIETNAMESE.search(body["message_vi"].lower()), body["message_vi"]
    assert body["message_vi"] != body["message_en"]
    for e in body["errors"]:
        assert set(e) == {"field", "rule", "message"}, e
    return body


@contextmanager
def vanthu_serve(log: Path, env_extra: dict[str, str], *args: str) -> Iterator[str]:
    """A real `vanthu serve` process on a free port, output to `log`; yields its base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env.update(env_extra)
    with serve_process(log, env, *args, cwd=ROOT) as base:
        yield base


# The API steps that bring a new draft to awaiting_signature, as (user, action).
TO_SIGNATURE = (("drafter", "submit"), ("unit_head", "approve"), ("format_checker", "pass-format"))
