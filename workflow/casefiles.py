"""Case files (hồ sơ) and the yearly list of them (danh mục hồ sơ, Điều 28; Phụ lục V).

A case file has a number and a heading code ("01.VP"), a title, a retention ("Vĩnh viễn" or
"N năm") and the officer who keeps it. Issued documents are assigned to case files; one document
may sit in several files (Phụ lục VI, Phần I).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from workflow.content import Code, Line, Part
from workflow.errors import VanthuError
from workflow.vietnamese import canonical_tones, collapse_spaces

FOREVER = "Vĩnh viễn"
# States in which a document carries its number and frozen file (engine's State values).
FILEABLE_STATES = frozenset({"issued", "dispatched", "archived"})
_YEARS = re.compile(r"^(\d{1,3})\s*năm$")
_CODE = re.compile(r"^(\d{2,3})\.(\S+)$")


class CaseFileError(VanthuError):
    """A case file or an assignment that breaks a rule of the file plan."""

    code = "case_file_error"


def _retention(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value} năm"
    return value


def _retention_text(value: str) -> str:
    text = canonical_tones(collapse_spaces(value)).casefold()
    if text == FOREVER.casefold():
        return FOREVER
    m = _YEARS.match(text)
    if m and int(m.group(1)) >= 1:
        return f"{int(m.group(1))} năm"
    raise ValueError(f"retention is 'Vĩnh viễn' or a number of years ('20 năm'), got {value!r}")


Retention = Annotated[str, BeforeValidator(_retention), AfterValidator(_retention_text)]


def format_code(number: int, heading: str) -> str:
    """ "01.VP": the number (two digits at least) and the heading's code."""
    return f"{number:02d}.{heading}"


def parse_code(code: str) -> tuple[int, str]:
    """ "01.VP" → (1, "VP")."""
    m = _CODE.match(code.strip())
    if not m:
        raise CaseFileError(f"a case file code is number.heading, e.g. '01.VP', got {code!r}")
    return int(m.group(1)), m.group(2)


class CaseFile(Part):
    """One hồ sơ of the year's list."""

    year: int = Field(ge=1945, le=2200)
    number: int = Field(ge=1, le=999)
    heading: Code = Field(description="Code of the heading (usually the unit): 'VP', 'TCCB'")
    title: Line = Field(description="Tên đề mục và tiêu đề hồ sơ")
    retention: Retention = Field(description="'Vĩnh viễn' or 'N năm'")
    owner: Line = Field(description="Người lập hồ sơ")
    rights: str | None = Field(None, description="Access regime (Rights, S30) ⚠ unconfirmed list")
    note: str | None = None

    @property
    def code(self) -> str:
        return format_code(self.number, self.heading)

    @property
    def permanent(self) -> bool:
        return self.retention == FOREVER


class FilePlan(Part):
    """Danh mục hồ sơ: an organisation's case files for one year, codes unique."""

    organisation: Line
    year: int = Field(ge=1945, le=2200)
    numbering: Literal["list", "heading"] = Field(
        "list", description="Numbers run over the whole list, or restart within each heading"
    )
    files: list[CaseFile] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> FilePlan:
        seen: set[str] = set()
        for i, f in enumerate(self.files):
            if f.year != self.year:
                raise ValueError(
                    f"files[{i}] ({f.code}) is of {f.year}, the list is of {self.year}"
                )
            if f.code in seen:
                raise ValueError(f"files[{i}]: code {f.code} is used twice")
            if self.numbering == "list" and any(
                g.number == f.number for g in self.files[:i] if g.heading != f.heading
            ):
                raise ValueError(
                    f"files[{i}]: number {f.number:02d} is taken (numbered over all headings)"
                )
            seen.add(f.code)
        return self

    def file(self, code: str) -> CaseFile:
        for f in self.files:
            if f.code == code.strip():
                return f
        raise CaseFileError(f"no case file {code!r} in the {self.year} list of {self.organisation}")

    def next_number(self, heading: str) -> int:
        taken = [f.number for f in self.files if self.numbering == "list" or f.heading == heading]
        return max(taken, default=0) + 1

    def add(
        self, *, heading: str, title: str, retention: str | int, owner: str, **extra: Any
    ) -> tuple[FilePlan, CaseFile]:
        """A new plan with one more file, numbered next; plans are immutable."""
        new = CaseFile(
            year=self.year,
            number=self.next_number(heading),
            heading=heading,
            title=title,
            retention=retention,
            owner=owner,
            **extra,
        )
        return self.model_copy(update={"files": [*self.files, new]}), new


def check_assignment(
    case_file: CaseFile, *, document: str, state: str, already: Sequence[str]
) -> int:
    """Whether `document` may join `case_file`; returns its ordinal (DocOrdinal) in the file.

    Only numbered, issued documents are filed; a document sits in a file once.
    """
    if state not in FILEABLE_STATES:
        raise CaseFileError(
            f"document {document} is {state}: only issued documents go into a case file"
            f" ({', '.join(sorted(FILEABLE_STATES))})"
        )
    if document in already:
        raise CaseFileError(f"document {document} is already in case file {case_file.code}")
    if len(already) >= 999:
        raise CaseFileError(f"case file {case_file.code} is full: DocOrdinal has three digits")
    return len(already) + 1
