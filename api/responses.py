"""JSON responses built once from the models (no second validation pass), with ETags."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import Response
from pydantic import BaseModel

from api.models import DocumentOut
from workflow.document import Document


def json_response(
    model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        model.model_dump_json().encode("utf-8"),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def document_response(
    doc: Document,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    *,
    linked_by: dict[str, list[int]] | None = None,
) -> Response:
    """The document with `ETag: "<id>-<version>"`."""
    out = DocumentOut.of(doc, linked_by)
    return json_response(out, status, {"ETag": out.etag, **(headers or {})})
