"""The outgoing-document state machine as one declarative table: (state, action) → transition.

Everything the engine allows is in TRANSITIONS; anything absent is refused with a named error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from workflow.errors import Forbidden, WrongState


class State(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FORMAT_CHECK = "format_check"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    ISSUED = "issued"
    DISPATCHED = "dispatched"
    ARCHIVED = "archived"
    RECALLED = "recalled"
    CANCELLED = "cancelled"


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PASS_FORMAT = "pass-format"
    SIGN = "sign"
    ISSUE = "issue"
    DISPATCH = "dispatch"
    ARCHIVE = "archive"
    RECALL = "recall"
    CANCEL = "cancel"
    REPLACE = "replace"
    CORRECT = "correct"


class Role(StrEnum):
    DRAFTER = "drafter"
    UNIT_HEAD = "unit_head"
    FORMAT_CHECKER = "format_checker"
    SIGNER = "signer"
    CLERK = "clerk"
    ARCHIVIST = "archivist"
    ADMIN = "admin"


class Guard(StrEnum):
    """Named conditions a transition checks beyond state and role; the engine evaluates them."""

    AUTHOR = "author"  # drafter who created it, or a unit_head of its drafting unit
    SIGNER_ASSIGNED = "signer_assigned"  # a signer is set before review starts
    COMMENT = "comment"  # a return says why
    REASON = "reason"  # a recall says why
    FORMAT_PASSES = "format_passes"  # the draft rendering passes the format checker
    ASSIGNED_TO_ACTOR = "assigned_to_actor"  # only the assigned signer signs
    SIGNATURE_MATCHES = "signature_matches"  # name and own title in ô 7 are the signer's
    DELEGATION = "delegation"  # the authority chain is covered by delegations valid today
    APPROVALS_CURRENT = "approvals_current"  # approvals are for the current content hash
    SIGNED_CONTENT = "signed_content"  # what is issued is what was signed
    RECIPIENTS = "recipients"  # Nơi nhận, symbol and Lưu line agree; every receiver reachable
    SAME_FORM = "same_form"  # a replacement has the replaced document's type
    CORRECTION_FORM = "correction_form"  # a correction (đính chính) is a công văn


@dataclass(frozen=True)
class Transition:
    """Where an action leads, who may take it, and what must hold. target None: state kept."""

    target: State | None
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = ()


def _t(target: State | None, *roles: Role, guards: Iterable[Guard] = ()) -> Transition:
    return Transition(target, frozenset(roles), tuple(guards))


S, A, R, G = State, Action, Role, Guard
_AFTER_ISSUE = (S.ISSUED, S.DISPATCHED, S.ARCHIVED)

TRANSITIONS: dict[tuple[State, Action], Transition] = {
    (S.DRAFT, A.EDIT): _t(S.DRAFT, R.DRAFTER, R.UNIT_HEAD, guards=[G.AUTHOR]),
    (S.DRAFT, A.SUBMIT): _t(S.IN_REVIEW, R.DRAFTER, guards=[G.AUTHOR, G.SIGNER_ASSIGNED]),
    (S.IN_REVIEW, A.APPROVE): _t(S.FORMAT_CHECK, R.UNIT_HEAD),
    (S.IN_REVIEW, A.RETURN): _t(S.DRAFT, R.UNIT_HEAD, guards=[G.COMMENT]),
    (S.FORMAT_CHECK, A.RETURN): _t(S.DRAFT, R.FORMAT_CHECKER, guards=[G.COMMENT]),
    (S.AWAITING_SIGNATURE, A.RETURN): _t(
        S.DRAFT, R.SIGNER, guards=[G.ASSIGNED_TO_ACTOR, G.COMMENT]
    ),
    (S.FORMAT_CHECK, A.PASS_FORMAT): _t(
        S.AWAITING_SIGNATURE, R.FORMAT_CHECKER, guards=[G.FORMAT_PASSES]
    ),
    (S.AWAITING_SIGNATURE, A.SIGN): _t(
        S.SIGNED,
        R.SIGNER,
        guards=[G.ASSIGNED_TO_ACTOR, G.SIGNATURE_MATCHES, G.DELEGATION, G.APPROVALS_CURRENT],
    ),
    (S.SIGNED, A.ISSUE): _t(S.ISSUED, R.CLERK, guards=[G.SIGNED_CONTENT, G.RECIPIENTS]),
    (S.ISSUED, A.DISPATCH): _t(S.DISPATCHED, R.CLERK),
    (S.DISPATCHED, A.ARCHIVE): _t(S.ARCHIVED, R.CLERK),
    (S.ISSUED, A.RECALL): _t(S.RECALLED, R.CLERK, guards=[G.REASON]),
    (S.DISPATCHED, A.RECALL): _t(S.RECALLED, R.CLERK, guards=[G.REASON]),
    (S.DRAFT, A.CANCEL): _t(S.CANCELLED, R.DRAFTER, R.UNIT_HEAD, guards=[G.AUTHOR]),
    (S.IN_REVIEW, A.CANCEL): _t(S.CANCELLED, R.DRAFTER, R.UNIT_HEAD, guards=[G.AUTHOR]),
    # Replacement and correction leave the original untouched and create a new linked draft.
    **{
        (s, A.REPLACE): _t(None, R.DRAFTER, R.UNIT_HEAD, guards=[G.SAME_FORM]) for s in _AFTER_ISSUE
    },
    **{
        (s, A.CORRECT): _t(None, R.DRAFTER, R.UNIT_HEAD, guards=[G.CORRECTION_FORM])
        for s in _AFTER_ISSUE
    },
}

# Roles that may take each action in at least one state: the line between 403 and 409.
_ROLES_FOR: dict[Action, frozenset[Role]] = {
    action: frozenset().union(*(t.roles for (_, a), t in TRANSITIONS.items() if a is action))
    for action in Action
}

_ROLE_VALUES = frozenset(r.value for r in Role)

# When several of an actor's roles may act, the audit names the first in this order.
_ROLE_ORDER: tuple[Role, ...] = tuple(Role)


def decide(state: State, action: Action, roles: Iterable[str]) -> tuple[Transition, Role]:
    """The transition and the acting role, or Forbidden / WrongState naming state, action, role."""
    held = {Role(r) for r in roles if r in _ROLE_VALUES}
    names = ", ".join(sorted(held)) or "no role"
    if not held & _ROLES_FOR[action]:
        raise Forbidden(
            f"role {names} may never {action!s} a document (state {state!s}); allowed roles: "
            + ", ".join(sorted(_ROLES_FOR[action]))
        )
    transition = TRANSITIONS.get((state, action))
    if transition is None or not held & transition.roles:
        allowed = sorted(s for (s, a), t in TRANSITIONS.items() if a is action and held & t.roles)
        raise WrongState(
            f"cannot {action!s} a document in state {state!s} as {names}; as {names} it is"
            f" possible only from: {', '.join(allowed)}"
        )
    role = next(r for r in _ROLE_ORDER if r in held and r in transition.roles)
    return transition, role
