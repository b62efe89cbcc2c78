"""What is waiting for someone: the states in which a user's roles move a document forward.

Read off the transition table and its guards, so the "awaiting me" list never disagrees with
what the engine would let the user do (a signer sees what awaits their signature).
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow.states import TRANSITIONS, Action, Guard, Role
from workflow.users import User

# Actions that move a document on towards archiving (not returns, cancels, recalls, edits).
FORWARD: frozenset[Action] = frozenset(
    {
        Action.SUBMIT,
        Action.APPROVE,
        Action.PASS_FORMAT,
        Action.SIGN,
        Action.ISSUE,
        Action.DISPATCH,
        Action.ARCHIVE,
    }
)


@dataclass(frozen=True)
class Criterion:
    """One conjunction of filters on documents; a listing ORs several of them."""

    states: tuple[str, ...] = ()
    signer: str | None = None
    created_by: str | None = None
    drafting_unit: str | None = None
    issuer_code: str | None = None


def awaiting(user: User) -> list[Criterion]:
    """Filters for the documents on which `user` can take a forward action now."""
    found: list[Criterion] = []
    for (state, action), transition in TRANSITIONS.items():
        if action not in FORWARD:
            continue
        for role in sorted(transition.roles):
            if role.value not in user.roles:
                continue
            guards = transition.guards
            criterion = Criterion(
                states=(state.value,),
                signer=user.username if Guard.ASSIGNED_TO_ACTOR in guards else None,
                created_by=(
                    user.username if Guard.AUTHOR in guards and role is Role.DRAFTER else None
                ),
                drafting_unit=(
                    user.unit_code if Guard.AUTHOR in guards and role is Role.UNIT_HEAD else None
                ),
            )
            if criterion not in found:
                found.append(criterion)
    return found
