"""Deliveries: one per dispatch target, with its channel and where it stands.

queued → sent → received; a send can fail (failed, with the error) and be queued again; a
receiver can send a copy back (returned). Internal deliveries are sent the moment they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from workflow.errors import VanthuError
from workflow.recipients import Target


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    RECEIVED = "received"
    FAILED = "failed"
    RETURNED = "returned"


# Which status may follow which; the same status again is a no-op and allowed.
NEXT: dict[Status, frozenset[Status]] = {
    Status.QUEUED: frozenset({Status.SENT, Status.FAILED}),
    Status.SENT: frozenset({Status.RECEIVED, Status.FAILED, Status.RETURNED}),
    Status.FAILED: frozenset({Status.QUEUED, Status.SENT}),
    Status.RECEIVED: frozenset({Status.RETURNED}),
    Status.RETURNED: frozenset({Status.QUEUED}),
}

LABELS = {  # how the register and reports name each status
    Status.QUEUED: "chờ gửi",
    Status.SENT: "đã gửi",
    Status.RECEIVED: "đã nhận",
    Status.FAILED: "gửi lỗi",
    Status.RETURNED: "bị trả lại",
}
CHANNEL_LABELS = {"email": "thư điện tử", "edxml": "trục liên thông", "paper": "bưu chính",
                  "internal": "nội bộ"}  # fmt: skip


class DeliveryError(VanthuError):
    """A status change the delivery rules do not allow, or an unknown status."""

    code = "invalid_delivery_status"


def status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise DeliveryError(
            f"status must be one of {', '.join(s.value for s in Status)}, got {value!r}"
        ) from None


def check_change(current: str, new: str) -> Status:
    """The new status if `current → new` is allowed, else DeliveryError naming both."""
    old, to = status(current), status(new)
    if to is not old and to not in NEXT[old]:
        allowed = ", ".join(sorted(NEXT[old])) or "nothing"
        raise DeliveryError(f"a delivery that is {old} cannot become {to}; it can become {allowed}")
    return to


@dataclass(frozen=True)
class Delivery:
    """A delivery as stored."""

    id: int
    document_id: int
    target_key: str
    target_name: str
    line: int
    purpose: str | None
    via: str | None
    channel: str
    address: str | None
    organ_id: str | None
    status: Status
    error: str | None
    message_id: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    received_at: datetime | None


@dataclass(frozen=True)
class NewDelivery:
    """What dispatch records for one target."""

    target_key: str
    target_name: str
    line: int
    purpose: str | None
    via: str | None
    channel: str
    address: str | None
    organ_id: str | None
    status: Status


def new_delivery(target: Target, organ_id: str | None = None) -> NewDelivery:
    """The delivery for a target: its preferred channel; internal ones are sent at once."""
    channel = target.channel
    if channel is None:
        raise DeliveryError(f"{target.name} has no dispatch channel")
    return NewDelivery(
        target_key=target.key,
        target_name=target.name,
        line=target.line,
        purpose=target.purpose,
        via=target.via,
        channel=channel.kind,
        address=channel.address,
        organ_id=organ_id,
        status=Status.SENT if channel.kind == "internal" else Status.QUEUED,
    )


def summary(deliveries: list[Delivery]) -> str:
    """ "đã gửi 63, đã nhận 26" — counts by status, for the register's Ký nhận column."""
    counts = {s: 0 for s in Status}
    for d in deliveries:
        counts[d.status] += 1
    parts = [f"{LABELS[s]} {n}" for s, n in counts.items() if n]
    return ", ".join(parts) if parts else "chưa chuyển"


def channels_summary(deliveries: list[Delivery]) -> str:
    """ "thư điện tử 63, nội bộ 26" — counts by channel, for the register's notes."""
    counts: dict[str, int] = {}
    for d in deliveries:
        counts[d.channel] = counts.get(d.channel, 0) + 1
    return ", ".join(f"{CHANNEL_LABELS.get(c, c)} {n}" for c, n in counts.items())
