"""The directory of receivers: read-only listings and lookups; the admin replaces it.

GET /directory/{organisations|units|positions|people|groups}, GET /directory/entries/{id},
GET /directory/find?name=…; PUT /directory (a whole directory as JSON) and POST
/directory/load (the server's fixtures/directory/) for the admin.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter

from api.deps import CurrentActor, DatabaseDep
from api.inputs import no_nul
from api.problems import responses
from api.responses import json_response
from workflow import admin, dispatching, queries
from workflow.directory import (
    Channel,
    Directory,
    DirectoryData,
    Group,
    Organisation,
    Person,
    Position,
    Unit,
)
from workflow.errors import NotFound

router = APIRouter(prefix="/directory", tags=["directory"])

ENTRY_ID = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9.\-]*$", max_length=80, description="e.g. 'bgddt.vp'")
]


class UnitOut(Unit):
    organisation: str


class PositionOut(Position):
    organisation: str
    holder_name: str | None


class GroupOut(Group):
    receivers: list[str]  # every member, nested groups expanded


class EntryOut(BaseModel):
    id: str
    kind: Literal["organisation", "unit", "position", "group"]
    name: str  # as delivery lists print it
    organisation: str | None
    channels: list[Channel]


class DirectoryCounts(BaseModel):
    organisations: int
    units: int
    positions: int
    people: int
    groups: int
    delegations: int

    @classmethod
    def of(cls, d: Directory) -> DirectoryCounts:
        return cls(
            organisations=len(d.ids("organisation")),
            units=len(d.ids("unit")),
            positions=len(d.ids("position")),
            people=len(d.data.people),
            groups=len(d.ids("group")),
            delegations=len(d.data.delegations),
        )


def _directory(db: DatabaseDep, actor: CurrentActor) -> Directory:
    queries.require_reader(actor)
    return dispatching.stored_directory(db)


def _list(model: type[BaseModel], items: list[BaseModel]) -> Response:
    return Response(TypeAdapter(list[model]).dump_json(items), media_type="application/json")  # type: ignore[valid-type]


def _entry(d: Directory, entry_id: str) -> EntryOut:
    kind = d.kind(entry_id)
    org = d.organisation(entry_id)
    return EntryOut(
        id=entry_id,
        kind=kind,
        name=d.display_name(entry_id),
        organisation=org.id if org else None,
        channels=[] if kind == "group" else list(d.channels(entry_id)),
    )


@router.get("", response_model=DirectoryCounts, responses=responses(401, 403, 404))
def summary(actor: CurrentActor, db: DatabaseDep) -> Response:
    """How many entries of each kind the stored directory holds."""
    return json_response(DirectoryCounts.of(_directory(db, actor)))


@router.get("/organisations", response_model=list[Organisation], responses=responses(401, 403, 404))
def organisations(actor: CurrentActor, db: DatabaseDep) -> Response:
    """Organisations with their units and positions."""
    return _list(Organisation, list(_directory(db, actor).data.organisations))


@router.get("/units", response_model=list[UnitOut], responses=responses(401, 403, 404))
def units(actor: CurrentActor, db: DatabaseDep) -> Response:
    d = _directory(db, actor)
    found = [
        UnitOut(**u.model_dump(), organisation=o.id) for o in d.data.organisations for u in o.units
    ]
    return _list(UnitOut, found)


@router.get("/positions", response_model=list[PositionOut], responses=responses(401, 403, 404))
def positions(actor: CurrentActor, db: DatabaseDep) -> Response:
    d = _directory(db, actor)
    found = []
    for o in d.data.organisations:
        for p in o.positions:
            holder = d.holder(p.id)
            found.append(
                PositionOut(
                    **p.model_dump(), organisation=o.id, holder_name=holder.name if holder else None
                )
            )
    return _list(PositionOut, found)


@router.get("/people", response_model=list[Person], responses=responses(401, 403, 404))
def people(actor: CurrentActor, db: DatabaseDep) -> Response:
    return _list(Person, list(_directory(db, actor).data.people))


@router.get("/groups", response_model=list[GroupOut], responses=responses(401, 403, 404))
def groups(actor: CurrentActor, db: DatabaseDep) -> Response:
    d = _directory(db, actor)
    found = [GroupOut(**g.model_dump(), receivers=d.members(g.id)) for g in d.data.groups]
    return _list(GroupOut, found)


@router.get("/entries/{entry_id}", response_model=EntryOut, responses=responses(401, 403, 404, 422))
def entry(entry_id: ENTRY_ID, actor: CurrentActor, db: DatabaseDep) -> Response:
    """One organisation, unit, position or group: its printed name and dispatch channels."""
    return json_response(_entry(_directory(db, actor), entry_id))


@router.get("/find", response_model=EntryOut, responses=responses(401, 403, 404, 422))
def find(
    actor: CurrentActor,
    db: DatabaseDep,
    name: Annotated[str, Query(min_length=1, max_length=300, description="A name or alias")],
) -> Response:
    """The one entry called `name` (or an alias of it)."""
    d = _directory(db, actor)
    found = d.find(name)
    if found is None:
        raise NotFound(f"no single directory entry is called {name!r}")
    return json_response(_entry(d, found))


@router.put("", response_model=DirectoryCounts, responses=responses(401, 403, 422))
def replace(body: DirectoryData, actor: CurrentActor, db: DatabaseDep) -> Response:
    """Replace the whole directory (admin); it is validated as a whole first."""
    no_nul(body.model_dump(mode="json"))
    return json_response(DirectoryCounts.of(admin.replace_directory(db, actor, body)))


@router.post("/load", response_model=DirectoryCounts, responses=responses(401, 403, 422))
def load(actor: CurrentActor, db: DatabaseDep) -> Response:
    """Replace the directory with the server's fixtures/directory/ files (admin)."""
    return json_response(DirectoryCounts.of(admin.load_directory_files(db, actor)))
