"""Case files (hồ sơ): the yearly list, new files, filing issued documents, hand-over zip."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.deps import MAX_ID, CurrentActor, DatabaseDep, IdempotencyKey
from api.downloads import ZIP, file_response, safe_name
from api.inputs import no_nul
from api.models import CaseFileAssign, CaseFileAssigned, CaseFileIn, CaseFileOut
from api.problems import responses
from api.responses import json_response
from workflow import dispatching, queries
from workflow.casefiles import CaseFile

router = APIRouter(prefix="/casefiles", tags=["casefiles"])
_LIST = TypeAdapter(list[CaseFileOut])
CaseFileId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _out(case_file_id: int, issuer_code: str, f: CaseFile) -> CaseFileOut:
    return CaseFileOut(id=case_file_id, code=f.code, issuer_code=issuer_code, **f.model_dump())


@router.get("", response_model=list[CaseFileOut], responses=responses(401, 403, 422))
def file_plan(
    actor: CurrentActor,
    db: DatabaseDep,
    issuer: Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f]+$")],
    year: Annotated[int, Query(ge=1945, le=2200)],
) -> Response:
    """Danh mục hồ sơ: an issuer's case files of a year, by number."""
    queries.require_reader(actor)
    found = [_out(i, issuer, f) for i, f in dispatching.file_plan(db, issuer, year)]
    return Response(_LIST.dump_json(found), media_type="application/json")


@router.post(
    "", status_code=201, response_model=CaseFileOut, responses=responses(401, 403, 409, 422)
)
def create(
    body: CaseFileIn, actor: CurrentActor, db: DatabaseDep, _key: IdempotencyKey
) -> Response:
    """A new case file, numbered next in the issuer's list (clerk, archivist or admin)."""
    no_nul(body.model_dump(mode="json"))
    new_id, f = dispatching.create_case_file(db, actor, **body.model_dump())
    return json_response(
        _out(new_id, body.issuer_code, f), 201, {"Location": f"/casefiles/{new_id}"}
    )


@router.post(
    "/{case_file_id}/documents",
    response_model=CaseFileAssigned,
    responses=responses(401, 403, 404, 422),
)
def assign(
    case_file_id: CaseFileId,
    body: CaseFileAssign,
    actor: CurrentActor,
    db: DatabaseDep,
    _key: IdempotencyKey,
) -> Response:
    """File an issued document in the case file; returns its place (DocOrdinal) there."""
    ordinal = dispatching.assign_document(db, actor, case_file_id, body.document_id)
    return json_response(
        CaseFileAssigned(case_file_id=case_file_id, document_id=body.document_id, ordinal=ordinal)
    )


@router.get(
    "/{case_file_id}/package",
    response_class=Response,
    responses={
        200: {"content": {ZIP: {"schema": {"type": "string", "format": "binary"}}}},
        **responses(401, 403, 404, 422),
    },
)
def package(case_file_id: CaseFileId, actor: CurrentActor, db: DatabaseDep) -> Response:
    """The hand-over zip: Phụ lục VI metadata, the issued files and a SHA-256 manifest."""
    issuer_code, f = queries.case_file(db, actor, case_file_id)
    data = dispatching.handover_package(db, case_file_id)
    name = safe_name(f"Hồ sơ {f.code} {issuer_code} {f.year}") + ".zip"
    return file_response(data, name, ZIP)
