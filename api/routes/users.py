"""Users for the admin: GET /users, PUT /users/{username} (roles, unit, position, password).

Passwords are hashed with pwdlib (api/auth.py) and stored with the user in one transaction.
A token names the roles the user had at login; the engine acts with those of them the directory
still gives the user, so a role taken away stops working at once for actions, management and
reading documents before issue (reading what is issued needs any role the token names, until it
expires). The last admin keeps the admin role (409
last_admin): someone must be able to manage users.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.auth import hash_password
from api.deps import CurrentActor, EngineDep
from api.inputs import no_nul
from api.models import USERNAME_PATTERN, UserIn, UserOut
from api.problems import FieldError, ProblemError, responses
from api.responses import json_response
from workflow.admin import require_admin
from workflow.users import User

router = APIRouter(prefix="/users", tags=["users"])

Username = Annotated[
    str, Path(pattern=USERNAME_PATTERN, description="Login name", examples=["signer"])
]
# Column sizes: normalising (NFC, capitals) may lengthen what the request sent.
LIMITS = {"full_name": 200, "position_title": 200}


@router.get("", response_model=list[UserOut], responses=responses(401, 403))
def list_users(actor: CurrentActor, engine: EngineDep) -> Response:
    """Every user with roles, unit and position (admin)."""
    found = [UserOut.of(u) for u in engine.users(actor)]
    return Response(TypeAdapter(list[UserOut]).dump_json(found), media_type="application/json")


@router.put(
    "/{username}",
    response_model=UserOut,
    responses={201: {"model": UserOut, "description": "Created"}, **responses(401, 403, 409, 422)},
)
def put_user(username: Username, body: UserIn, actor: CurrentActor, engine: EngineDep) -> Response:
    """Create or replace a user (admin): 201 when new, 200 when updated.

    `password` sets or resets the password; without it the password is kept (a new user
    without one cannot log in until it is set).
    """
    require_admin(actor, "manage users")  # before the checks: others learn nothing more
    no_nul(body.model_dump(mode="json"))
    user = User(
        username=username,
        full_name=body.full_name,
        roles=frozenset(r.value for r in body.roles),
        unit_code=body.unit_code,
        issuer_code=body.issuer_code,
        position_title=body.position_title,
    )
    for field, limit in LIMITS.items():
        if len(getattr(user, field)) > limit:
            raise ProblemError(
                "request_invalid",
                f"body.{field} is longer than {limit} characters once normalised",
                f"body.{field} dài quá {limit} ký tự sau khi chuẩn hóa",
                errors=[FieldError(field=f"body.{field}", rule="max_length", message="too long")],
            )
    hashed = hash_password(body.password) if body.password is not None else None
    created = engine.put_user(actor, user, password_hash=hashed)
    headers = {"Location": f"/users/{username}"} if created else None
    return json_response(UserOut.of(user), 201 if created else 200, headers)
