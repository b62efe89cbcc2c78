"""GET /registers (the series) and GET /registers/{series}/{year} (one year's register).

A series is written ISSUER/REGISTER on the command line ("BGDĐT/VB") and ISSUER-REGISTER in
URLs ("BGDĐT-VB"): issuer codes never contain '-', so the first '-' splits them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.deps import CurrentActor, DatabaseDep
from api.downloads import MEDIA_TYPES, file_response, register_filename
from api.models import RegisterOut, RegisterRowOut, SeriesOut
from api.problems import responses
from api.responses import json_response
from numbering.registers import SeriesKey
from workflow import dispatching, queries
from workflow.registers_export import COLUMNS

router = APIRouter(prefix="/registers", tags=["registers"])
_LIST = TypeAdapter(list[SeriesOut])


def slug(key: SeriesKey) -> str:
    return f"{key.issuer_code}-{key.register}"


def from_slug(text: str) -> SeriesKey:
    issuer, _, register = text.partition("-")
    return SeriesKey(issuer, register)


@router.get("", response_model=list[SeriesOut], responses=responses(401, 403))
def series(actor: CurrentActor, db: DatabaseDep) -> Response:
    """Every register (numbering series) with the years that have numbers."""
    found = []
    for s in queries.series(db, actor):
        key = SeriesKey(s.issuer_code, s.register)
        found.append(
            SeriesOut(
                slug=slug(key),
                series=str(key),
                issuer_code=s.issuer_code,
                register_code=s.register,
                name=s.name,
                years=list(s.years),
            )
        )
    return Response(_LIST.dump_json(found), media_type="application/json")


_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/{series}/{year}",
    response_model=RegisterOut,
    responses={
        200: {
            "description": "The register as JSON, or as a file (format=xlsx|csv|docx)",
            "content": {MEDIA_TYPES[f]: _FILE for f in ("xlsx", "csv", "docx")},
        },
        **responses(401, 403, 404, 422),
    },
)
def register(
    series: Annotated[
        str,
        Path(
            pattern=r"^[^\-\x00-\x1f/]+-[^\x00-\x1f/]+$",
            max_length=120,
            description="ISSUER-REGISTER, e.g. 'BGDĐT-VB'",
        ),
    ],
    year: Annotated[int, Path(ge=1945, le=2200)],
    actor: CurrentActor,
    db: DatabaseDep,
    format: Annotated[Literal["json", "xlsx", "csv", "docx"], Query()] = "json",
) -> Response:
    """Sổ đăng ký văn bản đi: the ten columns of Phụ lục IV, one row per numbered document."""
    queries.require_reader(actor)
    key = from_slug(series)
    if format != "json":
        data = dispatching.export_register(db, key, year, format)
        return file_response(data, register_filename(slug(key), year, format), MEDIA_TYPES[format])
    rows = dispatching.register_rows(db, key, year)
    out = RegisterOut(
        series=str(key),
        slug=slug(key),
        year=year,
        columns=list(COLUMNS),
        rows=[RegisterRowOut(**r.__dict__) for r in rows],
    )
    return json_response(out)
