"""The FastAPI application: settings → database → engine → routers, problems for every error.

`create_app()` reads the environment (see api/settings.py); `prepare_database()` migrates the
database (one process at a time) and, in demo mode, loads the demo world. Other routers reuse
the dependencies in api/deps.py (current actor, engine, settings).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from api import problems
from api.auth import Tokens, load_secret
from api.demo_world import load_demo
from api.deps import Services
from api.idempotency import IdempotencyMiddleware
from api.routes import ROUTERS
from api.settings import Settings
from workflow import rendering
from workflow.engine import Engine
from workflow.store import Database
from workflow.store.api_repos import setup_lock

TITLE = "vanthu"
PROBLEM_REF = "#/components/schemas/Problem"
DESCRIPTION = (
    "Document workflow for Vietnamese official documents (Decree 30/2020/NĐ-CP): draft,"
    " review, check format, sign, issue with gap-free numbers, dispatch, archive.\n\n"
    "Authenticate with POST /auth/token (OAuth2 password flow), then send"
    " `Authorization: Bearer <token>`. Changes need `If-Match` with the ETag of the version you"
    " read; POSTs accept `Idempotency-Key`. Errors are application/problem+json."
)


def prepare_database(settings: Settings, db: Database | None = None) -> None:
    """Migrate to the newest schema and, in demo mode, load the demo world (idempotent)."""
    own = db is None
    db = db or Database(settings.database_url)
    try:
        with setup_lock(db):
            db.migrate()
            if settings.demo:
                load_demo(db)
            with db.uow() as uow:  # keys nobody can retry any more
                uow.idempotency.purge(
                    datetime.now(UTC) - timedelta(hours=settings.idempotency_hours)
                )
                uow.commit()
    finally:
        if own:
            db.dispose()


class Health(BaseModel):
    status: str
    database: str
    demo: bool


def create_app(settings: Settings | None = None, *, prepare: bool = True) -> FastAPI:
    """The application for `settings` (default: from the environment)."""
    settings = settings or Settings.from_env()
    db = Database(settings.database_url)
    if prepare:
        prepare_database(settings, db)
    engine = Engine(db, renderer=rendering)
    tokens = Tokens(load_secret(db, settings.secret), settings.token_minutes)
    services = Services(settings=settings, db=db, engine=engine, tokens=tokens)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(title=TITLE, description=DESCRIPTION, version="0.1.0", lifespan=lifespan)
    app.state.services = services
    problems.install(app)
    app.add_middleware(IdempotencyMiddleware)
    for name in ROUTERS:
        app.include_router(importlib.import_module(f"api.routes.{name}").router)

    @app.get("/health", response_model=Health, tags=["health"])
    async def health() -> Health:
        """Liveness: answers without touching the database."""
        return Health(status="ok", database=db.dialect, demo=settings.demo)

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with problem responses under application/problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    problem = {"content": {problems.MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}}
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            answers = operation.setdefault("responses", {})
            for response in answers.values():
                content = response.get("content", {})
                body = content.get("application/json", {})
                if body.get("schema", {}).get("$ref", "") == PROBLEM_REF:
                    content[problems.MEDIA_TYPE] = content.pop("application/json")
            # Cross-cutting answers: an unreadable body, and Idempotency-Key refusals on POST.
            extra = {"400": "Bad Request"} if "requestBody" in operation else {}
            if method == "post":
                extra |= {"409": "Conflict", "422": "Unprocessable Content"}
            for status, phrase in extra.items():
                answers.setdefault(status, {"description": phrase, **problem})
    app.openapi_schema = schema
    return schema
