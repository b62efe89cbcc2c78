"""GET /documents/search: issued documents by number and symbol, filters and words."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import MAX_ID, CurrentActor, DatabaseDep
from api.problems import FieldError, ProblemError, responses
from api.responses import json_response
from workflow import retrieval
from workflow.search import MAX_LIMIT, Hit, QueryError, parse

router = APIRouter(prefix="/documents", tags=["search"])

Span = Annotated[list[int], Field(min_length=2, max_length=2, description="[start, end)")]


class SearchHit(BaseModel):
    """A found document; highlight spans index the text they belong to (accents and all)."""

    id: int
    number: int
    symbol: str = Field(description="Ký hiệu, e.g. 'TB-BGDĐT'")
    number_symbol: str = Field(description="Số as printed, e.g. '07/TB-BGDĐT'")
    issued_date: date
    doc_type: str
    issuer_code: str
    signer: str = Field(description="Who signed, as printed")
    subject: str
    state: str
    subject_highlights: list[Span] = Field(description="Matched words in `subject`")
    snippet: str = Field(description="Body text around the first matched word ('' if none)")
    snippet_highlights: list[Span] = Field(description="Matched words in `snippet`")
    file: str = Field(description="Where the issued .docx is")

    @classmethod
    def of(cls, hit: Hit) -> SearchHit:
        return cls(
            id=hit.id,
            number=hit.number,
            symbol=hit.symbol,
            number_symbol=hit.number_symbol,
            issued_date=hit.issued_date,
            doc_type=hit.doc_type,
            issuer_code=hit.issuer_code,
            signer=hit.signer,
            subject=hit.subject,
            state=hit.state,
            subject_highlights=[list(s) for s in hit.subject_highlights],
            snippet=hit.snippet,
            snippet_highlights=[list(s) for s in hit.snippet_highlights],
            file=f"/documents/{hit.id}/file?format=docx",
        )


class SearchPage(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


Text = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


@router.get("/search", response_model=SearchPage, responses=responses(401, 403, 422))
def search(
    actor: CurrentActor,
    db: DatabaseDep,
    q: Annotated[
        str,
        Query(
            max_length=400,
            pattern=r"^[^\x00-\x1f\x7f]*$",
            description="Words and/or a number with its symbol as written: '07/TB-BGDĐT',"
            " 'số 7 TB-BGDĐT', 'ket luan hoi nghi' (accents optional)",
        ),
    ] = "",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    doc_type: Annotated[
        str | None,
        Query(alias="type", max_length=40, description="Type: abbreviation, id or name (TB)"),
    ] = None,
    issuer: Annotated[
        str | None, Query(max_length=40, description="Issuer code (BGDĐT or BGDDT)")
    ] = None,
    signer: Text = None,
    date_from: Annotated[date | None, Query(description="Issued on or after")] = None,
    date_to: Annotated[date | None, Query(description="Issued on or before")] = None,
    recipient: Text = None,
    case_file: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Case file id")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Issued (and later) documents: relevance for words (every word in the subject first),
    newest first otherwise; keyset pages through `cursor`."""
    try:
        query = parse(
            q,
            year=year,
            doc_type=doc_type,
            issuer=issuer,
            signer=signer,
            date_from=date_from,
            date_to=date_to,
            recipient=recipient,
            case_file=case_file,
            limit=limit,
            cursor=cursor,
        )
    except QueryError as exc:
        raise ProblemError(
            "request_invalid",
            f"query.{exc}",
            f"tham số tìm kiếm không hợp lệ ở query.{exc.field}: {exc.message}",
            errors=[FieldError(field=f"query.{exc.field}", rule="invalid", message=exc.message)],
        ) from exc
    page = retrieval.search(db, actor, query)
    out = SearchPage(items=[SearchHit.of(h) for h in page.hits], next_cursor=page.next_cursor)
    return json_response(out)
