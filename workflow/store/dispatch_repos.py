"""Repositories for the directory entries, deliveries, case files and register queries.

Plain domain values in and out (workflow.directory, workflow.deliveries, workflow.casefiles);
every method runs on the unit of work's connection.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from workflow.casefiles import CaseFile, parse_code
from workflow.deliveries import Delivery, NewDelivery, Status
from workflow.directory import DirectoryData
from workflow.document import Document
from workflow.errors import NotFound
from workflow.store.repositories import to_document, utc
from workflow.store.tables import (
    case_file_documents,
    case_files,
    deliveries,
    dir_delegations,
    dir_group_members,
    dir_groups,
    dir_organisations,
    dir_people,
    dir_positions,
    dir_revision,
    dir_units,
    documents,
    series,
)

# Children before parents when deleting; the reverse when inserting.
_DIRECTORY_TABLES = (
    dir_delegations,
    dir_group_members,
    dir_groups,
    dir_positions,
    dir_units,
    dir_people,
    dir_organisations,
)


def _channels(items: Any) -> list[dict[str, Any]]:
    return [c.model_dump(exclude_none=True) for c in items]


_REVISION = sa.select(dir_revision.c.revision)


class DirectoryEntryRepository:
    """The directory of receivers, stored whole and read back whole."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def revision(self) -> int:
        """How many times a directory was loaded; 0 when none has been."""
        value = self.conn.execute(_REVISION).scalar_one_or_none()
        return value or 0

    def replace(self, data: DirectoryData, now: datetime) -> int:
        """Put `data` in place of whatever was stored; returns the new revision."""
        for table in _DIRECTORY_TABLES:
            self.conn.execute(sa.delete(table))
        orgs, units, positions = [], [], []
        for i, org in enumerate(data.organisations):
            orgs.append(
                {
                    "id": org.id,
                    "ord": i,
                    "name": org.name,
                    "code": org.code,
                    "organ_id": org.organ_id,
                    "parent_id": org.parent,
                    "aliases": list(org.aliases),
                    "channels": _channels(org.channels),
                }
            )
            for unit in org.units:
                units.append(
                    {
                        "id": unit.id,
                        "ord": len(units),
                        "organisation_id": org.id,
                        "name": unit.name,
                        "code": unit.code,
                        "aliases": list(unit.aliases),
                        "channels": _channels(unit.channels),
                    }
                )
            for pos in org.positions:
                positions.append(
                    {
                        "id": pos.id,
                        "ord": len(positions),
                        "organisation_id": org.id,
                        "unit_id": pos.unit,
                        "title": pos.title,
                        "holder_id": pos.holder,
                        "channels": _channels(pos.channels),
                    }
                )
        people = [{"id": p.id, "ord": i, "name": p.name} for i, p in enumerate(data.people)]
        groups = [
            {"id": g.id, "ord": i, "name": g.name, "aliases": list(g.aliases)}
            for i, g in enumerate(data.groups)
        ]
        members = [
            {"group_id": g.id, "ord": j, "member_id": m}
            for g in data.groups
            for j, m in enumerate(g.members)
        ]
        delegations = [
            {
                "id": d.id,
                "ord": i,
                "principal": d.principal,
                "delegate": d.delegate,
                "prefix": d.prefix,
                "scope": d.scope,
                "valid_from": d.valid_from,
                "valid_to": d.valid_to,
            }
            for i, d in enumerate(data.delegations)
        ]
        for table, rows in (
            (dir_organisations, orgs),
            (dir_people, people),
            (dir_units, units),
            (dir_positions, positions),
            (dir_groups, groups),
            (dir_group_members, members),
            (dir_delegations, delegations),
        ):
            if rows:
                self.conn.execute(sa.insert(table), rows)
        revision = self.revision() + 1
        self.conn.execute(sa.delete(dir_revision))
        self.conn.execute(
            sa.insert(dir_revision).values(id=1, revision=revision, loaded_at=utc(now))
        )
        return revision

    def load(self) -> DirectoryData | None:
        """The stored directory as DirectoryData; None when none was ever loaded."""
        if self.revision() == 0:
            return None

        def rows(table: sa.Table) -> list[Any]:
            return list(self.conn.execute(sa.select(table).order_by(table.c.ord)))

        units: dict[str, list[dict[str, Any]]] = {}
        for r in rows(dir_units):
            units.setdefault(r.organisation_id, []).append(
                {
                    "id": r.id,
                    "name": r.name,
                    "code": r.code,
                    "aliases": r.aliases,
                    "channels": r.channels,
                }
            )
        positions: dict[str, list[dict[str, Any]]] = {}
        for r in rows(dir_positions):
            positions.setdefault(r.organisation_id, []).append(
                {
                    "id": r.id,
                    "title": r.title,
                    "unit": r.unit_id,
                    "holder": r.holder_id,
                    "channels": r.channels,
                }
            )
        members: dict[str, list[str]] = {}
        for r in self.conn.execute(
            sa.select(dir_group_members).order_by(
                dir_group_members.c.group_id, dir_group_members.c.ord
            )
        ):
            members.setdefault(r.group_id, []).append(r.member_id)
        return DirectoryData.model_validate(
            {
                "organisations": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "code": r.code,
                        "organ_id": r.organ_id,
                        "parent": r.parent_id,
                        "aliases": r.aliases,
                        "channels": r.channels,
                        "units": units.get(r.id, []),
                        "positions": positions.get(r.id, []),
                    }
                    for r in rows(dir_organisations)
                ],
                "people": [{"id": r.id, "name": r.name} for r in rows(dir_people)],
                "groups": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "aliases": r.aliases,
                        "members": members.get(r.id, []),
                    }
                    for r in rows(dir_groups)
                ],
                "delegations": [
                    {
                        "id": r.id,
                        "principal": r.principal,
                        "delegate": r.delegate,
                        "prefix": r.prefix,
                        "scope": r.scope,
                        "valid_from": r.valid_from,
                        "valid_to": r.valid_to,
                    }
                    for r in rows(dir_delegations)
                ],
            }
        )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        document_id=row.document_id,
        target_key=row.target_key,
        target_name=row.target_name,
        line=row.line,
        purpose=row.purpose,
        via=row.via,
        channel=row.channel,
        address=row.address,
        organ_id=row.organ_id,
        status=Status(row.status),
        error=row.error,
        message_id=row.message_id,
        attempts=row.attempts,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
        sent_at=utc(row.sent_at) if row.sent_at else None,
        received_at=utc(row.received_at) if row.received_at else None,
    )


class DeliveryRepository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, document_id: int, items: list[NewDelivery], now: datetime) -> int:
        """Insert one row per new delivery; returns how many."""
        when = utc(now)
        rows = [
            {
                **item.__dict__,
                "status": item.status.value,
                "document_id": document_id,
                "attempts": 0,
                "created_at": when,
                "updated_at": when,
                "sent_at": when if item.status is Status.SENT else None,
            }
            for item in items
        ]
        if rows:
            self.conn.execute(sa.insert(deliveries), rows)
        return len(rows)

    def for_document(self, document_id: int) -> list[Delivery]:
        rows = self.conn.execute(
            sa.select(deliveries)
            .where(deliveries.c.document_id == document_id)
            .order_by(deliveries.c.id)
        )
        return [_delivery(r) for r in rows]

    def for_documents(self, document_ids: list[int]) -> dict[int, list[Delivery]]:
        found: dict[int, list[Delivery]] = {i: [] for i in document_ids}
        if document_ids:
            rows = self.conn.execute(
                sa.select(deliveries)
                .where(deliveries.c.document_id.in_(document_ids))
                .order_by(deliveries.c.id)
            )
            for r in rows:
                found[r.document_id].append(_delivery(r))
        return found

    def get(self, delivery_id: int) -> Delivery:
        row = self.conn.execute(sa.select(deliveries).where(deliveries.c.id == delivery_id)).first()
        if row is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        return _delivery(row)

    def update(
        self,
        delivery_id: int,
        *,
        status: Status,
        now: datetime,
        error: str | None = None,
        message_id: str | None = None,
        attempted: bool = False,
    ) -> None:
        when = utc(now)
        values: dict[str, Any] = {"status": status.value, "updated_at": when, "error": error}
        if message_id is not None:
            values["message_id"] = message_id
        if status is Status.SENT:
            values["sent_at"] = when
        if status is Status.RECEIVED:
            values["received_at"] = when
        if attempted:
            values["attempts"] = deliveries.c.attempts + 1
        self.conn.execute(
            sa.update(deliveries).where(deliveries.c.id == delivery_id).values(values)
        )


def _case_file(row: Any) -> CaseFile:
    return CaseFile(
        year=row.year,
        number=row.number,
        heading=row.heading,
        title=row.title,
        retention=row.retention,
        owner=row.owner,
        rights=row.rights,
        note=row.note,
    )


class CaseFileRepository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, issuer_code: str, case_file: CaseFile, now: datetime) -> int:
        return self.conn.execute(
            sa.insert(case_files)
            .values(
                issuer_code=issuer_code,
                year=case_file.year,
                number=case_file.number,
                heading=case_file.heading,
                title=case_file.title,
                retention=case_file.retention,
                owner=case_file.owner,
                rights=case_file.rights,
                note=case_file.note,
                created_at=utc(now),
            )
            .returning(case_files.c.id)
        ).scalar_one()

    def get(self, case_file_id: int) -> tuple[str, CaseFile]:
        """(issuer code, case file)."""
        row = self.conn.execute(
            sa.select(case_files).where(case_files.c.id == case_file_id)
        ).first()
        if row is None:
            raise NotFound(f"case file {case_file_id} does not exist")
        return row.issuer_code, _case_file(row)

    def find(self, issuer_code: str, year: int, code: str) -> int | None:
        number, heading = parse_code(code)
        return self.conn.execute(
            sa.select(case_files.c.id).where(
                case_files.c.issuer_code == issuer_code,
                case_files.c.year == year,
                case_files.c.number == number,
                case_files.c.heading == heading,
            )
        ).scalar_one_or_none()

    def plan(self, issuer_code: str, year: int) -> list[tuple[int, CaseFile]]:
        rows = self.conn.execute(
            sa.select(case_files)
            .where(case_files.c.issuer_code == issuer_code, case_files.c.year == year)
            .order_by(case_files.c.number, case_files.c.heading)
        )
        return [(r.id, _case_file(r)) for r in rows]

    def document_ids(self, case_file_id: int) -> list[int]:
        return list(
            self.conn.execute(
                sa.select(case_file_documents.c.document_id)
                .where(case_file_documents.c.case_file_id == case_file_id)
                .order_by(case_file_documents.c.ordinal)
            ).scalars()
        )

    def assign(self, case_file_id: int, document_id: int, ordinal: int, now: datetime) -> None:
        self.conn.execute(
            sa.insert(case_file_documents).values(
                case_file_id=case_file_id,
                document_id=document_id,
                ordinal=ordinal,
                added_at=utc(now),
            )
        )

    def files_of(self, document_id: int) -> list[int]:
        return list(
            self.conn.execute(
                sa.select(case_file_documents.c.case_file_id).where(
                    case_file_documents.c.document_id == document_id
                )
            ).scalars()
        )


class RegisterQueries:
    """What the outgoing register lists: numbered documents of one series and year."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def series_id(self, issuer_code: str, register: str) -> int | None:
        return self.conn.execute(
            sa.select(series.c.id).where(
                series.c.issuer_code == issuer_code, series.c.register == register
            )
        ).scalar_one_or_none()

    def numbered(self, series_id: int, year: int) -> list[Document]:
        rows = self.conn.execute(
            sa.select(documents)
            .where(
                documents.c.series_id == series_id,
                documents.c.year == year,
                documents.c.number.is_not(None),
            )
            .order_by(documents.c.number)
        )
        return [to_document(r) for r in rows]
