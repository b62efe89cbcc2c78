"""POST /auth/token (OAuth2 password flow) and GET /auth/me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.concurrency import run_in_threadpool

from api.auth import authenticate
from api.deps import CurrentActor, Services, get_services
from api.models import TokenOut, UserOut
from api.problems import ProblemError, responses
from workflow import queries
from workflow.errors import NotFound

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenOut, responses=responses(401, 422))
async def token(
    services: Annotated[Services, Depends(get_services)],
    username: Annotated[str, Form(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")],
    password: Annotated[str, Form(max_length=1024)],
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> TokenOut:
    """A bearer token for a username and password (OAuth2 password flow, form-encoded)."""
    user = await run_in_threadpool(authenticate, services.db, username, password)
    if user is None:
        raise ProblemError(
            "invalid_credentials",
            "unknown username or wrong password",
            "tên đăng nhập không tồn tại hoặc mật khẩu sai",
            headers={"WWW-Authenticate": "Bearer"},
        )
    access, lifetime = services.tokens.issue(user)
    return TokenOut(
        access_token=access, expires_in=lifetime, username=user.username, roles=sorted(user.roles)
    )


@router.get("/me", response_model=UserOut, responses=responses(401, 404))
def me(actor: CurrentActor, services: Annotated[Services, Depends(get_services)]) -> UserOut:
    """Who the token belongs to, as the directory knows them."""
    user = queries.user(services.db, actor.username)
    if user is None:
        raise NotFound(f"user {actor.username} is no longer in the directory")
    return UserOut.of(user)
