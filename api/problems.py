"""Errors as RFC 9457 problem details (application/problem+json), in Vietnamese and English.

Every response that is not a success carries `code` (stable, machine-readable), `message_en`
and `message_vi` naming the field or rule, and `errors` [{field, rule, message}]. Anything
unexpected becomes a 500 problem with an incident id that is logged: never HTML or a trace.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.models import etag
from workflow.errors import GuardFailed, InvalidContent, InvalidDelegation, VanthuError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("vanthu.api")


class FieldError(BaseModel):
    """One field or rule the request broke."""

    field: str = Field(description="Dotted path of the field ('body.subject', 'header.if-match')")
    rule: str = Field(description="The rule or guard that refused it")
    message: str


class Problem(BaseModel):
    """An error response (RFC 9457) with vanthu's code and messages in both languages."""

    type: str = Field(description="urn:vanthu:problem:<code>")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable code, e.g. 'wrong_state'")
    message_vi: str
    message_en: str
    errors: list[FieldError] = Field(default_factory=list)
    instance: str | None = Field(None, description="The request path")
    incident: str | None = Field(None, description="Incident id of an unexpected error (logged)")


# code → (HTTP status, Vietnamese title)
CODES: dict[str, tuple[int, str]] = {
    "invalid_content": (422, "Nội dung văn bản không hợp lệ"),
    "guard_failed": (422, "Điều kiện chuyển bước không được đáp ứng"),
    "forbidden": (403, "Không có quyền thực hiện"),
    "wrong_state": (409, "Trạng thái văn bản không cho phép thao tác này"),
    "not_found": (404, "Không tìm thấy"),
    "stale_version": (412, "Văn bản đã bị thay đổi sau phiên bản bạn có"),
    "precondition_failed": (412, "Điều kiện If-Match không khớp"),
    "precondition_required": (428, "Thiếu tiêu đề If-Match"),
    "idempotency_key_reused": (422, "Khóa Idempotency-Key đã dùng cho một yêu cầu khác"),
    "idempotency_in_progress": (409, "Yêu cầu cùng khóa Idempotency-Key đang được xử lý"),
    "invalid_idempotency_key": (422, "Khóa Idempotency-Key không hợp lệ"),
    "request_invalid": (422, "Yêu cầu không hợp lệ"),
    "invalid_input": (422, "Giá trị không hợp lệ"),
    "not_authenticated": (401, "Chưa đăng nhập"),
    "invalid_token": (401, "Mã truy cập không hợp lệ hoặc đã hết hạn"),
    "invalid_credentials": (401, "Sai tên đăng nhập hoặc mật khẩu"),
    "method_not_allowed": (405, "Phương thức không được hỗ trợ"),
    "malformed_request": (400, "Yêu cầu sai cú pháp"),
    "invalid_delivery_status": (422, "Trạng thái chuyển phát không hợp lệ"),
    "case_file_error": (422, "Hồ sơ không hợp lệ"),
    "invalid_directory": (422, "Danh bạ không hợp lệ"),
    "unknown_directory_entry": (404, "Không có mục này trong danh bạ"),
    "export_error": (422, "Không xuất được sổ đăng ký"),
    "mail_settings": (503, "Chưa cấu hình thư điện tử"),
    "recipients_inconsistent": (422, "Nơi nhận không nhất quán"),
    "edxml_error": (422, "Không lập được gói edXML"),
    "handover_error": (422, "Không lập được gói nộp lưu"),
    "unreadable_document": (422, "Không đọc được tệp văn bản"),
    "invalid_delegation": (422, "Ủy quyền không hợp lệ"),
    "last_admin": (409, "Phải còn ít nhất một quản trị viên"),
    "internal_error": (500, "Lỗi hệ thống"),
}

ACTIONS_VI = {
    "submit": "trình duyệt",
    "approve": "duyệt nội dung",
    "return": "trả lại",
    "pass-format": "xác nhận đạt thể thức",
    "sign": "ký",
    "issue": "ban hành (cấp số, ngày)",
    "dispatch": "phát hành",
    "archive": "lưu trữ",
    "recall": "thu hồi",
    "cancel": "hủy",
    "edit": "sửa",
    "replace": "thay thế",
    "correct": "đính chính",
}

# Routes without an {action}: what the refused request was doing, by route name.
ROUTES_VI = {
    "replace_document": "thay thế",
    "correct_document": "đính chính",
    "list_users": "xem danh sách người dùng",
    "put_user": "tạo hoặc sửa người dùng",
    "list_delegations": "xem danh sách ủy quyền",
    "grant_delegation": "cấp ủy quyền ký",
    "revoke_delegation": "thu hồi ủy quyền ký",
}

# rule of an invalid delegation → what Điều 13 requires, in Vietnamese
DELEGATION_RULES: dict[str, str] = {
    "tuq_not_redelegable": "người được ủy quyền (TUQ.) không được ủy quyền lại (Điều 13.3)",
    "prefix": "thẩm quyền phải bắt đầu bằng TL., KT., TUQ. hoặc Q.",
    "authority_line": "dòng thẩm quyền ký không hợp lệ",
    "period": "ngày hết hiệu lực không được trước ngày bắt đầu",
    "grantee_is_user": "người được ủy quyền phải là người dùng của hệ thống",
    "max_length": "dòng thẩm quyền quá dài",
}

# guard → (field it is about, what it requires, in Vietnamese)
GUARDS: dict[str, tuple[str, str]] = {
    "author": ("created_by", "chỉ người soạn thảo hoặc lãnh đạo đơn vị soạn thảo"),
    "signer_assigned": ("signer", "phải chỉ định người ký trước khi trình"),
    "comment": ("body.comment", "trả lại phải ghi rõ lý do"),
    "reason": ("body.comment", "thu hồi phải ghi rõ lý do"),
    "format_passes": ("content", "bản dự thảo phải đạt thể thức (Nghị định 30/2020/NĐ-CP)"),
    "assigned_to_actor": ("signer", "chỉ người ký được chỉ định mới được ký hoặc trả lại"),
    "signature_matches": ("content.signature", "họ tên và chức vụ ở ô 7 phải là của người ký"),
    "delegation": ("content.signature.authority", "thẩm quyền ký phải được ủy quyền còn hiệu lực"),
    "approvals_current": ("approvals", "nội dung đã sửa sau khi duyệt: phải duyệt lại"),
    "signed_content": ("content", "nội dung ban hành phải đúng nội dung đã ký"),
    "recipients": ("content.recipients", "nơi nhận, ký hiệu và dòng «Lưu:» phải khớp nhau"),
    "same_form": ("content.doc_type", "văn bản thay thế phải cùng hình thức"),
    "correction_form": ("content.doc_type", "văn bản đính chính phải là công văn"),
}


class ProblemError(Exception):
    """Raised by the API itself (authentication, preconditions, idempotency)."""

    def __init__(
        self,
        code: str,
        message_en: str,
        message_vi: str,
        *,
        errors: list[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_vi = message_vi
        self.errors = errors or []
        self.headers = dict(headers or {})


def problem(
    code: str,
    message_en: str,
    message_vi: str,
    *,
    status: int | None = None,
    errors: list[FieldError] | None = None,
    instance: str | None = None,
    incident: str | None = None,
) -> Problem:
    known_status, title_vi = CODES.get(code, (422, "Yêu cầu bị từ chối"))
    status = status or known_status
    return Problem(
        type=f"urn:vanthu:problem:{code}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=message_en,
        code=code,
        message_vi=message_vi if message_vi.startswith(title_vi) else f"{title_vi}: {message_vi}",
        message_en=message_en,
        errors=errors or [],
        instance=instance,
        incident=incident,
    )


def problem_response(p: Problem, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(p.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=p.status, media_type=MEDIA_TYPE, headers=headers)


def _what(request: Request) -> str:
    params = request.path_params
    action = params.get("action")
    doc = params.get("document_id")
    if action is not None:
        verb = ACTIONS_VI.get(str(getattr(action, "value", action)), str(action))
        return f"{verb} văn bản {doc}" if doc is not None else verb
    named = ROUTES_VI.get(getattr(request.scope.get("route"), "name", ""))
    if named is not None:
        return f"{named} văn bản {doc}" if doc is not None else named
    if doc is not None:
        return f"văn bản {doc}"
    return f"đường dẫn {request.url.path}"


def _vanthu_problem(request: Request, exc: VanthuError) -> Problem:
    """The problem for one of vanthu's own errors, with the Vietnamese message built from it."""
    code = exc.code
    actor = getattr(request.state, "actor", None)
    who = actor.username if actor is not None else "người dùng"
    errors: list[FieldError] = []
    if isinstance(exc, InvalidContent):
        errors = [
            FieldError(field=f"content.{f}" if f else "content", rule=code, message=m)
            for f, m in exc.problems
        ]
        fields = ", ".join(e.field for e in errors) or "content"
        vi = f"các trường sai: {fields}"
    elif isinstance(exc, GuardFailed):
        field, rule_vi = GUARDS.get(str(exc.guard), ("", str(exc.guard)))
        errors = [FieldError(field=field, rule=str(exc.guard), message=exc.reason)]
        vi = f"không thể {_what(request)}: điều kiện «{exc.guard}» — {rule_vi}"
    elif isinstance(exc, InvalidDelegation):
        rule_vi = DELEGATION_RULES.get(exc.rule, exc.rule)
        errors = [FieldError(field=f"body.{exc.field}", rule=exc.rule, message=exc.reason)]
        vi = f"không thể {_what(request)}: {rule_vi} (body.{exc.field})"
    elif code == "forbidden":
        roles = ", ".join(sorted(actor.roles)) if actor is not None else "không có"
        vi = f"{who} (vai trò: {roles}) không được {_what(request)}"
    elif code == "wrong_state":
        vi = (
            f"không thể {_what(request)} ở trạng thái hiện tại của văn bản (bảng chuyển trạng thái)"
        )
    elif code == "stale_version":
        doc = request.path_params.get("document_id")
        vi = (
            f"văn bản {doc if doc is not None else ''} đã thay đổi sau phiên bản ghi trong"
            " If-Match; hãy tải lại (GET) rồi thử lại"
        )
    elif code == "not_found":
        vi = f"không có {_what(request)}"
    elif code == "last_admin":
        vi = (
            "không thể bỏ vai trò quản trị của quản trị viên duy nhất; hãy giao vai trò admin"
            " cho người khác trước"
        )
        errors = [FieldError(field="body.roles", rule=code, message=str(exc))]
    else:
        vi = f"{_what(request)} bị từ chối ({code})"
    return problem(code, str(exc), vi, errors=errors, instance=request.url.path)


def _validation_problem(request: Request, exc: RequestValidationError) -> Problem:
    errors = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        errors.append(
            FieldError(
                field=".".join(loc) or "body",
                rule=str(err.get("type", "invalid")),
                message=str(err.get("msg", "invalid")).removeprefix("Value error, "),
            )
        )
    fields = ", ".join(e.field for e in errors)
    en = "; ".join(f"{e.field}: {e.message}" for e in errors) or "the request is not valid"
    return problem(
        "request_invalid",
        en,
        f"sai ở {fields}" if fields else "yêu cầu sai",
        errors=errors,
        instance=request.url.path,
    )


def _current_etag(request: Request) -> str | None:
    actor = getattr(request.state, "actor", None)
    document_id = request.path_params.get("document_id")
    if actor is None or document_id is None:
        return None
    try:
        doc = request.app.state.services.engine.get(actor, int(document_id))
    except VanthuError:
        return None
    return etag(doc)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem."""

    @app.exception_handler(ProblemError)
    async def _own(request: Request, exc: ProblemError) -> Response:
        p = problem(
            exc.code, exc.message_en, exc.message_vi, errors=exc.errors, instance=request.url.path
        )
        return problem_response(p, exc.headers)

    @app.exception_handler(VanthuError)
    async def _vanthu(request: Request, exc: VanthuError) -> Response:
        p = _vanthu_problem(request, exc)
        headers = {}
        if exc.code == "stale_version":  # tell the client which version is current
            current = await run_in_threadpool(_current_etag, request)
            if current:
                headers["ETag"] = current
        return problem_response(p, headers)

    @app.exception_handler(ValidationError)
    async def _model(request: Request, exc: ValidationError) -> Response:
        # A domain model refused values the route passed on (e.g. a case file's heading code).
        problems = InvalidContent.from_pydantic(exc).problems
        errors = [FieldError(field=f or "body", rule="invalid", message=m) for f, m in problems]
        fields = ", ".join(e.field for e in errors)
        en = "; ".join(f"{e.field}: {e.message}" for e in errors)
        p = problem("invalid_input", en, f"giá trị sai ở {fields}", errors=errors)
        return problem_response(p.model_copy(update={"instance": request.url.path}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem_response(_validation_problem(request, exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        code = {400: "malformed_request", 404: "not_found", 405: "method_not_allowed"}.get(
            status, f"http_{status}"
        )
        en = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
        if status == 404:
            en = f"no such resource: {request.method} {request.url.path}"
        vi = {
            400: "không đọc được nội dung yêu cầu (JSON hoặc biểu mẫu sai cú pháp)",
            404: f"không có tài nguyên {request.url.path}",
            405: f"{request.url.path} không nhận phương thức {request.method}",
        }.get(status, f"yêu cầu bị từ chối (HTTP {status})")
        if status == 405:
            en = f"{request.url.path} does not take {request.method}"
        p = problem(code, en, vi, status=status, instance=request.url.path)
        return problem_response(p, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        incident = uuid.uuid4().hex[:12]
        log.error("incident %s: %s %s", incident, request.method, request.url.path, exc_info=exc)
        p = problem(
            "internal_error",
            f"unexpected error; incident {incident} is logged on the server",
            f"lỗi không lường trước; sự cố {incident} đã được ghi lại trên máy chủ",
            instance=request.url.path,
            incident=incident,
        )
        return problem_response(p)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problems a route may answer with."""
    return {
        status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in statuses
    }
