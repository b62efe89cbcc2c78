"""Who is calling: passwords (pwdlib, Argon2) and bearer tokens (PyJWT, HS256).

The signing secret is VANTHU_SECRET, else generated once and kept in the database, so every
server process on the database accepts every other's tokens. A token names the user and the
roles they had at login; it lives VANTHU_TOKEN_MINUTES (60 by default). The engine acts only
with those of the roles the directory still gives the user (workflow.users.Actor.as_now).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash

from api.problems import ProblemError
from workflow.store import Database
from workflow.users import Actor, User

ALGORITHM = "HS256"
ISSUER = "vanthu"
SECRET_SETTING = "jwt_secret"
VERIFIED_HELD = 1024  # verified tokens kept per server process


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user is unknown, so both cases take as long."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher().verify(password, _dummy_hash())
        return False
    return _hasher().verify(password, password_hash)


def set_password(db: Database, username: str, password: str) -> bool:
    """Store a new password hash for `username`; False when there is no such user."""
    with db.uow() as uow:
        done = uow.accounts.set_password_hash(username, hash_password(password))
        uow.commit()
    return done


def authenticate(db: Database, username: str, password: str) -> User | None:
    """The user if the password is theirs, else None (same cost whether or not they exist)."""
    with db.uow(write=False) as uow:
        stored = uow.accounts.password_hash(username)
        user = uow.directory.user(username) if stored is not None else None
    ok = verify_password(password, stored)
    return user if ok and user is not None else None


def load_secret(db: Database, configured: str | None) -> str:
    """VANTHU_SECRET if set, else the database's own secret (created by the first caller)."""
    if configured:
        return configured
    with db.uow() as uow:
        value = uow.settings.get_or_create(
            SECRET_SETTING, lambda: secrets.token_urlsafe(48), datetime.now(UTC)
        )
        uow.commit()
    return value


def _unauthorised(code: str, en: str, vi: str) -> ProblemError:
    return ProblemError(code, en, vi, headers={"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True)
class Tokens:
    """Issues and reads the bearer tokens of one server (or several sharing the secret)."""

    secret: str
    minutes: int = 60
    # Tokens already verified, with their expiry: every request shows its token once to the
    # idempotency check and once to the route; the signature is checked once, the expiry always.
    _verified: dict[str, tuple[Actor, float]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def issue(self, user: User, now: datetime | None = None) -> tuple[str, int]:
        """A signed token for `user` and its lifetime in seconds."""
        now = now or datetime.now(UTC)
        lifetime = timedelta(minutes=self.minutes)
        claims = {
            "iss": ISSUER,
            "sub": user.username,
            "roles": sorted(user.roles),
            "iat": now,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM), int(lifetime.total_seconds())

    def actor(self, token: str) -> Actor:
        """The Actor a token stands for, or a 401 problem saying what is wrong with it."""
        held = self._verified.get(token)
        if held is not None and time.time() < held[1]:  # PyJWT: expired once exp <= now
            return held[0]
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise _unauthorised(
                "invalid_token",
                "the access token has expired: ask POST /auth/token for a new one",
                "mã truy cập đã hết hạn: lấy mã mới tại POST /auth/token",
            ) from None
        except jwt.InvalidTokenError as exc:
            raise _unauthorised(
                "invalid_token",
                f"the access token is not valid ({exc})",
                "mã truy cập không hợp lệ (Authorization: Bearer …)",
            ) from None
        roles = claims.get("roles", [])
        if not isinstance(claims["sub"], str) or not isinstance(roles, list):
            raise _unauthorised(
                "invalid_token", "the access token has no user", "mã truy cập không có người dùng"
            )
        actor = Actor(claims["sub"], frozenset(str(r) for r in roles))
        if isinstance(claims["exp"], int | float):
            if len(self._verified) >= VERIFIED_HELD:
                self._verified.clear()
            self._verified[token] = (actor, float(claims["exp"]))
        return actor

    def username(self, authorization: str | None) -> str | None:
        """The user named by an `Authorization: Bearer` header, or None if it names nobody."""
        token = bearer(authorization)
        if token is None:
            return None
        try:
            return self.actor(token).username
        except ProblemError:
            return None


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def not_authenticated() -> ProblemError:
    return _unauthorised(
        "not_authenticated",
        "this needs a bearer token: POST /auth/token with username and password,"
        " then send 'Authorization: Bearer <access_token>'",
        "cần mã truy cập: gửi tên đăng nhập và mật khẩu tới POST /auth/token, rồi gửi"
        " 'Authorization: Bearer <access_token>'",
    )
