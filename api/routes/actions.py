"""Transitions: POST /documents/{id}/actions/{action}, with If-Match and Idempotency-Key."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Path
from fastapi.responses import Response

from api.deps import (
    CurrentActor,
    DocumentId,
    EngineDep,
    ExpectedVersion,
    IdempotencyKey,
    Services,
    get_services,
)
from api.inputs import no_nul
from api.models import ActionBody, DocumentOut
from api.problems import responses
from api.responses import document_response
from workflow import dispatching, retrieval
from workflow.states import Action

router = APIRouter(prefix="/documents", tags=["actions"])


# The transitions a client may ask for, as the engine names them: edit is PATCH, and replace /
# correct make new documents.
ActionName = StrEnum(  # type: ignore[misc]
    "ActionName",
    {a.name: a.value for a in Action if a not in (Action.EDIT, Action.REPLACE, Action.CORRECT)},
)


@router.post(
    "/{document_id:int}/actions/{action}",
    response_model=DocumentOut,
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def act(
    document_id: DocumentId,
    action: Annotated[ActionName, Path(description="The transition to take")],
    actor: CurrentActor,
    engine: EngineDep,
    services: Annotated[Services, Depends(get_services)],
    version: ExpectedVersion,
    _key: IdempotencyKey,
    background: BackgroundTasks,
    body: ActionBody | None = None,
) -> Response:
    """Take a transition as the current user; the engine's table decides who may, and when.

    403: the role may never take this action; 409: not from the document's state; 412: the
    document changed since the ETag in If-Match; 422: a guard refused (the problem names it).
    `dispatch` records one delivery per receiver and then sends the email ones; after `issue`
    answers, the search index takes the document in.
    """
    comment = body.comment if body else None
    no_nul(comment, "body.comment")
    if action == Action.DISPATCH:
        outcome = dispatching.dispatch(
            engine,
            actor,
            document_id,
            mail_settings=services.settings.smtp,
            expected_version=version,
        )
        return document_response(outcome.document)
    doc = engine.act(actor, document_id, Action(action.value), version, comment)
    if action == Action.ISSUE:  # derived data: after the response, off the numbering lock
        background.add_task(retrieval.drain, engine.db)
    return document_response(doc)
