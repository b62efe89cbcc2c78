"""Delegations to sign (Điều 13) for the admin: list, grant, revoke.

GET /delegations, POST /delegations (TL./KT./TUQ./Q. with a validity period),
POST /delegations/{id}/revoke. A rule the grant breaks (TUQ. passed on, a period that ends
before it starts, an authority without prefix) is a 422 invalid_delegation naming the field
and the rule. A revoked delegation stays listed and authorises nothing from then on.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.deps import MAX_ID, CurrentActor, EngineDep, IdempotencyKey
from api.inputs import no_nul
from api.models import DelegationIn, DelegationOut
from api.problems import responses
from api.responses import json_response
from workflow.admin import require_admin
from workflow.errors import InvalidDelegation
from workflow.signing import Delegation

router = APIRouter(prefix="/delegations", tags=["delegations"])

DelegationId = Annotated[int, Path(ge=1, le=MAX_ID, description="Delegation id", examples=[1])]
# Column sizes: the authority is stored in capitals, which may lengthen it.
TITLE_LIMIT = 230


@router.get("", response_model=list[DelegationOut], responses=responses(401, 403))
def list_delegations(actor: CurrentActor, engine: EngineDep) -> Response:
    """Every delegation, revoked ones included, oldest first (admin)."""
    found = [DelegationOut.of(d) for d in engine.delegations(actor)]
    return Response(
        TypeAdapter(list[DelegationOut]).dump_json(found), media_type="application/json"
    )


@router.post("", status_code=201, response_model=DelegationOut, responses=responses(401, 403, 422))
def grant_delegation(
    body: DelegationIn, actor: CurrentActor, engine: EngineDep, _key: IdempotencyKey
) -> Response:
    """Grant a delegation (admin); TUQ. is never re-delegable, nor may its holder pass it on."""
    require_admin(actor, "grant delegations")  # before the rules: others learn nothing more
    no_nul(body.model_dump(mode="json"))
    delegation = Delegation.from_text(
        body.grantee,
        body.authority,
        body.valid_from,
        body.valid_to,
        granted_by=body.granted_by,
        redelegable=body.redelegable,
    )
    if len(delegation.title) > TITLE_LIMIT:
        raise InvalidDelegation("authority", "max_length", f"longer than {TITLE_LIMIT} characters")
    new_id = engine.grant(actor, delegation)
    return json_response(DelegationOut.of(dataclasses.replace(delegation, id=new_id)), 201)


@router.post(
    "/{delegation_id}/revoke",
    response_model=DelegationOut,
    responses=responses(401, 403, 404, 422),
)
def revoke_delegation(
    delegation_id: DelegationId, actor: CurrentActor, engine: EngineDep, _key: IdempotencyKey
) -> Response:
    """Revoke a delegation (admin): from now on it lets nobody sign. Revoking twice is a no-op."""
    return json_response(DelegationOut.of(engine.revoke(actor, delegation_id)))
