"""The content of an administrative document, as a clerk writes it (YAML or JSON).

Everything that arrives is normalised to NFC; elements the decree prints in capitals (issuer,
parent agency, authority lines, the enacting authority) are stored as real capitals with
canonical tone placement, so PDF text, edXML and search read the same string the page shows.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from numbering.doctypes import DocType, Family, lookup
from numbering.symbols import CODE, symbol
from workflow.vietnamese import canonical_tones, collapse_spaces, nfc, upper


def _nfc_tree(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {_nfc_tree(k): _nfc_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc_tree(v) for v in value]
    return value


def _line(value: str) -> str:
    value = collapse_spaces(value)
    if not value:
        raise ValueError("must not be empty")
    return value


def _capitals(value: str) -> str:
    return upper(_line(value))


def _code(value: str) -> str:
    value = value.strip()
    if not CODE.match(value):
        raise ValueError(
            f"{value!r} is not a code: letters and digits (and '&', '.'), starting with a letter,"
            " no spaces or dashes, e.g. 'BGDĐT' or 'VP'"
        )
    return value


Line = Annotated[str, AfterValidator(_line)]
Capitals = Annotated[str, AfterValidator(_capitals)]
Code = Annotated[str, AfterValidator(_code)]


# Validation context for content read back from the store: it was made NFC when it was written
# and every use checks its SHA-256 against the approvals and the audit chain, so the NFC pass
# (a walk of the whole tree at every level) is skipped; every other rule still runs.
STORED: dict[str, bool] = {"stored": True}


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any, info: ValidationInfo) -> Any:
        if info.context is STORED:
            return data
        return _nfc_tree(data)


class Issuer(Part):
    """Ô 2: the issuing agency, optionally under its parent ("UBND TỈNH LÀO CAI")."""

    name: Capitals = Field(description="Issuing agency, e.g. 'BỘ GIÁO DỤC VÀ ĐÀO TẠO'")
    parent: Capitals | None = Field(None, description="Parent agency line above the issuer")
    code: Code = Field(description="Issuer code in symbols, e.g. 'BGDĐT'")


class Unit(Part):
    """The drafting unit (đơn vị soạn thảo) within the issuer."""

    name: Line = Field(description="e.g. 'Văn phòng'")
    code: Code = Field(description="Unit code in the 'Lưu:' line and công văn symbols, e.g. 'VP'")


Prefix = Literal["TM.", "KT.", "TL.", "TUQ.", "Q."]
PREFIXES: tuple[str, ...] = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
_PREFIX_RE = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*(.*)$")
# Words that look like an authority prefix but are not one of the five the decree allows.
_LOOKS_LIKE_PREFIX = re.compile(r"^([A-ZĐ]{1,4})\.\s+\S")


class AuthorityLine(Part):
    """One line of the signature block: an optional capacity prefix and a title."""

    prefix: Prefix | None = None
    title: Capitals

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            text = upper(collapse_spaces(nfc(data)))
            m = _PREFIX_RE.match(text)
            if m:
                return {"prefix": m.group(1) + ".", "title": m.group(2)}
            odd = _LOOKS_LIKE_PREFIX.match(text)
            if odd:
                raise ValueError(
                    f"authority prefix {odd.group(1)}. is not allowed; only "
                    + ", ".join(PREFIXES)
                    + " (Decree 30, Điều 13)"
                )
            return {"prefix": None, "title": text}
        return data

    def __str__(self) -> str:
        return f"{self.prefix} {self.title}" if self.prefix else self.title


class Signature(Part):
    """Ô 7: authority lines top to bottom, then the signer's name.

    The last line is the signer's own title (no prefix, or "Q." when acting); every line
    above it carries TM., KT., TL. or TUQ. Chains as real documents use them:
    "TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
    """

    authority: list[AuthorityLine] = Field(
        description="Lines top to bottom; also accepted as one string joined with ' / '",
        min_length=1,
    )
    name: Line = Field(description="Signer's full name, no degrees or ranks")

    @field_validator("authority", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in re.split(r"\s*/\s*|\n", value) if part.strip()]
        return value

    @field_validator("authority")
    @classmethod
    def _chain(cls, lines: list[AuthorityLine]) -> list[AuthorityLine]:
        *above, own = lines
        if own.prefix not in (None, "Q."):
            raise ValueError(
                f"the last authority line is the signer's own title and takes no prefix"
                f" (or Q. when acting), got {own}"
            )
        for i, line in enumerate(above):
            if line.prefix is None or line.prefix == "Q.":
                raise ValueError(
                    f"authority line {i + 1} ({line}) must start with TM., KT., TL. or TUQ.:"
                    " only the signer's own title, on the last line, stands alone"
                )
            if line.prefix == "TM." and i != 0:
                raise ValueError(f"TM. ({line}) can only open the signature block")
            if line.prefix == "KT." and i != len(above) - 1:
                raise ValueError(f"KT. ({line}) must be directly above the deputy's own title")
        prefixes = [line.prefix for line in above]
        if "TUQ." in prefixes and "KT." in prefixes:
            raise ValueError("TUQ. cannot be re-delegated: TUQ. and KT. do not chain (Điều 13.3)")
        return lines

    @property
    def chain(self) -> list[AuthorityLine]:
        """The prefixed lines above the signer's own title."""
        return self.authority[:-1]

    @property
    def title(self) -> AuthorityLine:
        return self.authority[-1]

    def __str__(self) -> str:
        return " / ".join(str(line) for line in self.authority)


_AS_ABOVE = re.compile(r"^Như trên$", re.IGNORECASE)
_AS_ARTICLE = re.compile(r"^Như Điều (\d+)$", re.IGNORECASE)


class Recipient(Part):
    """One line of "Nơi nhận:": a name, an optional purpose, optionally a directory reference.

    "Như trên" and "Như Điều N" are written as names and allowed only where the type has a
    Kính gửi (công văn, tờ trình / báo cáo to a superior, giấy giới thiệu) or Điều (QĐ, NQ).
    """

    name: Line = Field(description="As printed: 'Bộ trưởng', 'Các sở giáo dục và đào tạo'")
    purpose: Line | None = Field(None, description="e.g. 'để b/c', 'để t/h', 'để biết'")
    ref: str | None = Field(None, description="Directory entry or group id the name came from")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data

    @property
    def as_above(self) -> bool:
        return bool(_AS_ABOVE.match(self.name))

    @property
    def as_article(self) -> int | None:
        m = _AS_ARTICLE.match(self.name)
        return int(m.group(1)) if m else None

    def line(self) -> str:
        """The printed line without its final ';' or '.': "- Bộ trưởng (để b/c)"."""
        return f"- {self.name} ({self.purpose})" if self.purpose else f"- {self.name}"


class Appendix(Part):
    """A phụ lục after the main text: its own page(s), title in capitals, body in markup."""

    title: Line
    body: str = ""


URGENCY = ("Khẩn", "Thượng khẩn", "Hỏa tốc")
SECRECY = ("Mật", "Tối mật", "Tuyệt mật")


def _mark(allowed: tuple[str, ...], field: str) -> Any:
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        folded = canonical_tones(collapse_spaces(value)).casefold()
        for option in allowed:
            if option.casefold() == folded:
                return option
        raise ValueError(f"{field} must be one of {', '.join(allowed)}, got {value!r}")

    return AfterValidator(check)


class DocumentContent(Part):
    """What a clerk writes for any administrative document; number and date come at issue."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"title": "vanthu document content"},
    )

    doc_type: str = Field(
        description="Type id ('thong_bao'), Vietnamese name ('Thông báo') or abbreviation ('TB')"
    )
    issuer: Issuer
    drafting_unit: Unit
    place: Line = Field(description="Ô 4 place: 'Hà Nội', or the local unit ('Cam Đường')")
    year: int | None = Field(
        None, ge=1945, le=2200, description="Year printed on a draft; at issue the issue date's"
    )
    subject: str = Field(
        "",
        description="Trích yếu; line breaks are kept. Công văn: without the leading 'V/v'",
    )
    enacting_authority: Capitals | None = Field(
        None,
        description="Thẩm quyền ban hành under the title (QĐ, NQ) or before 'điện:' (công điện)",
    )
    addressees: list[Line] = Field(default_factory=list, description="Kính gửi, one per line")
    bases: list[Line] = Field(
        default_factory=list, description="Căn cứ lines, without the final ';' or '.'"
    )
    body: str = Field("", description="Body markup: paragraphs, **bold**, *italic*, [^n] notes")
    signature: Signature
    co_signature: Signature | None = Field(
        None, description="Second signer on the left (biên bản: THƯ KÝ)"
    )
    recipients: list[Recipient] = Field(
        default_factory=list, description="Nơi nhận, without the 'Lưu:' line (derived)"
    )
    drafter_initials: str | None = Field(
        None, description="Ô 12: drafter's initials in capitals, e.g. 'NXT'"
    )
    archive_copies: int | None = Field(
        None, ge=1, le=999, description="Copies kept, printed '(n)' in the 'Lưu:' line"
    )
    urgency: Annotated[str | None, _mark(URGENCY, "urgency")] = None
    secrecy: Annotated[str | None, _mark(SECRECY, "secrecy")] = None
    advisory_body: Code | None = Field(
        None,
        description="Code of the advisory body (hội đồng tư vấn) issuing under the issuer's seal;"
        " its documents are numbered in a series of their own",
    )
    circulation: Capitals | None = Field(
        None, description="Ô 11, e.g. 'LƯU HÀNH NỘI BỘ', 'XEM XONG TRẢ LẠI'"
    )
    contact: str | None = Field(None, description="Ô 13: contact details at the foot of page 1")
    appendices: list[Appendix] = Field(default_factory=list)

    @field_validator("doc_type")
    @classmethod
    def _doc_type(cls, value: str) -> str:
        return lookup(value).id

    @model_validator(mode="before")
    @classmethod
    def _strip_vv(cls, data: Any) -> Any:
        # The template prints "V/v" before a công văn subject; a typed-in one would double it.
        if isinstance(data, dict) and isinstance(data.get("subject"), str):
            try:
                family = lookup(str(data.get("doc_type", ""))).family
            except ValueError:
                return data
            subject = data["subject"].strip()
            if family is Family.CONG_VAN and subject[:3].lower() == "v/v":
                return {**data, "subject": subject[3:].strip()}
        return data

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str) -> str:
        lines = [collapse_spaces(line) for line in value.strip().splitlines()]
        return "\n".join(line for line in lines if line)

    @field_validator("bases")
    @classmethod
    def _bases(cls, values: list[str]) -> list[str]:
        return [v.rstrip(" ;.") for v in values]

    @field_validator("drafter_initials")
    @classmethod
    def _initials(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not re.fullmatch(r"[A-ZĐ]{1,8}", value):
            raise ValueError(f"drafter initials are capital letters, e.g. 'NXT', got {value!r}")
        return value

    @model_validator(mode="after")
    def _type_rules(self) -> DocumentContent:
        t = self.type
        if t.family is not Family.BIEN_BAN and self.co_signature is not None:
            raise ValueError("co_signature: only a biên bản has a second signer")
        kinh_gui = t.family in (Family.CONG_VAN, Family.GIAY_GIOI_THIEU) or (
            t.id in ("to_trinh", "bao_cao") and bool(self.addressees)
        )
        for i, r in enumerate(self.recipients):
            if r.as_above and not kinh_gui:
                raise ValueError(
                    f"recipients[{i}]: 'Như trên' needs a Kính gửi (công văn, tờ trình or báo cáo"
                    f" to a superior, giấy giới thiệu); a {t.name.lower()} lists recipients"
                    " directly"
                )
            if r.as_article is not None and t.family not in (Family.QUYET_DINH, Family.NGHI_QUYET):
                raise ValueError(
                    f"recipients[{i}]: 'Như Điều {r.as_article}' is for quyết định and nghị quyết"
                )
        # The same receiver twice would print twice and be dispatched twice. Overlaps through a
        # group need the directory: workflow.recipients finds those.
        seen: dict[str, int] = {}
        for i, r in enumerate(self.recipients):
            keys = [f"name:{canonical_tones(r.name).casefold()}"]
            if r.ref is not None:
                keys.append(f"ref:{r.ref}")
            for key in keys:
                if key in seen:
                    j = seen[key]
                    what = f"ref {r.ref!r}" if key.startswith("ref:") else f"'{r.name}'"
                    raise ValueError(
                        f"recipients[{i}]: {what} is already listed as recipients[{j}]"
                        f" ('{self.recipients[j].line()}'); list each receiver once"
                    )
                seen[key] = i
        return self

    @property
    def type(self) -> DocType:
        return lookup(self.doc_type)

    @property
    def symbol(self) -> str:
        """Ký hiệu: "TB-BGDĐT" (typed) or "BGDĐT-VP" (công văn)."""
        return symbol(self.type, self.issuer.code, self.drafting_unit.code)

    def archive_line(self) -> str:
        """The last Nơi nhận line, derived from the document, never typed by hand.

        "- Lưu: VT, VP." or, with initials and copies kept, "- Lưu: VT, VP NXT (2)."
        """
        if self.type.family is Family.BIEN_BAN:
            return "- Lưu: VT, Hồ sơ."
        text = f"- Lưu: VT, {self.drafting_unit.code}"
        if self.drafter_initials:
            text += f" {self.drafter_initials}"
        if self.archive_copies:
            text += f" ({self.archive_copies})"
        return text + "."

    def recipient_lines(self) -> list[str]:
        """Every line of the Nơi nhận block after the label, punctuation included."""
        return [r.line() + ";" for r in self.recipients] + [self.archive_line()]

    def canonical_json(self) -> str:
        """Stable JSON of the content: what hashes and approvals are computed over."""
        return json.dumps(
            self.model_dump(mode="json", exclude_none=False),
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def json_schema() -> dict[str, Any]:
    return DocumentContent.model_json_schema()


def load(data: dict[str, Any]) -> DocumentContent:
    return DocumentContent.model_validate(data)


def read(path: str | Path) -> DocumentContent:
    """Read a document from a .yaml/.yml or .json file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a document is a mapping of fields, got {type(data).__name__}")
    return load(data)


def draft_year(content: DocumentContent, issued: date | None, today: date) -> int:
    """The year printed in ô 4: the issue date's, else the content's, else today's (Vietnam)."""
    if issued is not None:
        return issued.year
    return content.year if content.year is not None else today.year
