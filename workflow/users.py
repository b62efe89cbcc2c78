"""Who acts: plain values the engine receives (the API builds Actors from its tokens)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workflow.signing import Delegation
from workflow.states import Role
from workflow.vietnamese import collapse_spaces, nfc, upper


@dataclass(frozen=True)
class Actor:
    """Someone acting: a username and the roles they act with."""

    username: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def has(self, role: Role) -> bool:
        return role.value in self.roles

    def as_now(self, roles: Collection[str] | None) -> Actor:
        """This actor with only those of its roles the directory still gives them (`roles`;
        None: no such user, so none): credentials issued before a role was taken away, such as
        a sign-in token, cannot act with it."""
        kept = self.roles & frozenset(roles or ())
        return self if kept == self.roles else Actor(self.username, kept)


@dataclass(frozen=True)
class User:
    """A person in the directory: names and titles exactly as ô 7 prints them."""

    username: str
    full_name: str
    roles: frozenset[str]
    unit_code: str
    issuer_code: str
    position_title: str = ""  # own title in capitals, e.g. "CHÁNH VĂN PHÒNG"

    def __post_init__(self) -> None:
        unknown = set(self.roles) - {r.value for r in Role}
        if unknown:
            raise ValueError(
                f"user {self.username}: unknown roles {sorted(unknown)}; roles are "
                + ", ".join(r.value for r in Role)
            )
        object.__setattr__(self, "full_name", collapse_spaces(nfc(self.full_name)))
        object.__setattr__(self, "position_title", upper(collapse_spaces(self.position_title)))

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.roles)


def read_directory(path: str | Path) -> tuple[list[User], list[Delegation]]:
    """Users and delegations from a YAML file shaped like fixtures/users.yaml."""
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    users = [
        User(
            username=u["username"],
            full_name=u["full_name"],
            roles=frozenset(u["roles"]),
            unit_code=u["unit_code"],
            issuer_code=u["issuer_code"],
            position_title=u.get("position_title", ""),
        )
        for u in data.get("users", [])
    ]
    delegations = [Delegation.from_text(**d) for d in data.get("delegations", [])]
    return users, delegations
