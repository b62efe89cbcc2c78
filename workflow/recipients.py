"""Nơi nhận → dispatch targets, and the checks a document must pass before it is issued.

One recipient list drives both the printed block (`content.recipient_lines()`) and the dispatch:
a group prints as one line but reaches every member; "Như trên" reaches the Kính gửi addressees;
"Như Điều N" reaches whoever Article N names. The "Lưu:" line is derived from the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from numbering.doctypes import Family
from workflow.content import DocumentContent
from workflow.directory import Channel, Directory, Organisation, UnknownEntry, name_key
from workflow.errors import VanthuError
from workflow.vietnamese import canonical_tones, collapse_spaces, nfc


@dataclass(frozen=True)
class Problem:
    """One reason a document cannot be issued or dispatched as it stands."""

    code: str  # stable: unknown_issuer, unknown_unit, unknown_ref, duplicate_recipient, …
    field: str  # the content field it is about, e.g. "recipients[3]"
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class RecipientError(VanthuError):
    """The recipient list, the symbol and the "Lưu:" line disagree, or a receiver is unreachable."""

    code = "recipients_inconsistent"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Target:
    """One receiver of one copy: what a delivery record is made for."""

    key: str  # directory id, or "text:<folded name>" for a receiver outside the directory
    name: str
    line: int  # index of the recipient line it came from (content.recipients)
    line_text: str  # that line as printed, e.g. "- Các sở giáo dục và đào tạo (để t/h)"
    purpose: str | None
    ref: str | None  # directory id; None for free text
    channels: tuple[Channel, ...] = ()
    via: str | None = None  # the group, Kính gửi or Article it was reached through

    @property
    def channel(self) -> Channel | None:
        """The preferred channel (the first the directory lists), None when unreachable."""
        return self.channels[0] if self.channels else None

    @property
    def internal(self) -> bool:
        return self.channel is not None and self.channel.kind == "internal"


@dataclass(frozen=True)
class DispatchPlan:
    """Every target of a document, in line order, and what is wrong with the list."""

    sender: str | None  # organisation id of the issuer
    drafting_unit: str | None  # unit id of the drafting unit
    targets: tuple[Target, ...]
    problems: tuple[Problem, ...] = field(default=())


def _article_text(body: str, number: int) -> str | None:
    """The text of "Điều N." in body markup, up to the next article or heading."""
    start = re.compile(rf"^Điều\s+{number}\s*\.")
    stop = re.compile(r"^(Điều\s+\d+\s*\.|Chương\s+[IVXLC\d]+|Mục\s+\d+)")
    lines: list[str] = []
    inside = False
    for raw in nfc(body).splitlines():
        line = raw.replace("*", "").strip()
        if inside and stop.match(line):
            break
        if not inside and start.match(line):
            inside = True
        if inside:
            lines.append(line)
    return " ".join(lines) if inside else None


def _named_in(text: str, directory: Directory, sender: str | None) -> list[str]:
    """Directory entries named in `text`, longest names first, without overlaps, in text order.

    A heuristic: names are matched as written (case-sensitively, canonical tones), so "Thanh tra"
    the unit is found but "thanh tra" the verb is not.
    """
    text = canonical_tones(collapse_spaces(text))
    hits: list[tuple[int, int, str]] = []
    for _, entry_id in directory.names(sender):
        entry = directory.entry(entry_id)
        written = [getattr(entry, "title", None) or getattr(entry, "name", "")]
        written += list(getattr(entry, "aliases", []))
        for name in written:
            pattern = rf"(?<!\w){re.escape(canonical_tones(name))}(?!\w)"
            hits.extend((m.start(), m.end(), entry_id) for m in re.finditer(pattern, text))
    chosen: list[tuple[int, int, str]] = []
    for start, end, entry_id in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, entry_id))
    ordered: list[str] = []
    for _, _, entry_id in sorted(chosen):
        if entry_id not in ordered:
            ordered.append(entry_id)
    return ordered


class _Planner:
    def __init__(self, content: DocumentContent, directory: Directory) -> None:
        self.content = content
        self.directory = directory
        self.problems: list[Problem] = []
        self.targets: list[Target] = []
        self.seen: dict[str, Target] = {}
        self.sender: Organisation | None = None
        self.unit_id: str | None = None

    def problem(self, code: str, field: str, message: str) -> None:
        self.problems.append(Problem(code, field, message))

    def resolve_sender(self) -> None:
        c = self.content
        try:
            self.sender = self.directory.organisation_by_code(c.issuer.code)
        except UnknownEntry as exc:
            self.problem("unknown_issuer", "issuer.code", f"{exc}; add the issuer to the directory")
            return
        if c.type.family is Family.BIEN_BAN:
            return  # "Lưu: VT, Hồ sơ." names no unit
        unit = self.directory.unit_by_code(self.sender.id, c.drafting_unit.code)
        if unit is None:
            self.problem(
                "unknown_unit",
                "drafting_unit.code",
                f"{c.drafting_unit.code!r} (used in the 'Lưu:' line {c.archive_line()!r}"
                + (f" and the symbol {c.symbol!r}" if not c.type.typed else "")
                + f") is not a unit of {self.sender.name} in the directory",
            )
        else:
            self.unit_id = unit.id

    def leaves(self, entry_id: str) -> list[str]:
        if self.directory.kind(entry_id) != "group":
            return [entry_id]
        # The drafting unit's copy is the "Lưu:" copy: its groups do not send it another.
        return [m for m in self.directory.members(entry_id) if m != self.unit_id]

    def add(self, i: int, entry_id: str | None, name: str, via: str | None) -> None:
        r = self.content.recipients[i]
        sender = self.sender.id if self.sender else None
        if entry_id is None:
            key, channels, display = f"text:{name_key(name)}", (), name
        else:
            key = entry_id
            channels = self.directory.channels(entry_id, sender)
            display = self.directory.display_name(entry_id, sender)
        target = Target(key, display, i, r.line(), r.purpose, entry_id, channels, via)
        first = self.seen.get(key)
        if first is not None:
            self.problem(
                "duplicate_recipient",
                f"recipients[{i}]",
                f"'{r.line()}' reaches {display} again, already reached by recipients[{first.line}]"
                f" '{first.line_text}'"
                + (f" (through {first.via})" if first.via else "")
                + "; list each receiver once",
            )
            return
        self.seen[key] = target
        self.targets.append(target)

    def add_entry(self, i: int, entry_id: str, via: str | None) -> None:
        if entry_id == self.unit_id:
            if via is not None:
                return  # reached through Kính gửi or an Article: its copy is the "Lưu:" copy
            unit = self.content.drafting_unit.code
            self.problem(
                "archived_twice",
                f"recipients[{i}]",
                f"'{self.content.recipients[i].line()}' is the drafting unit {unit}, which keeps"
                f" its copy through the 'Lưu:' line {self.content.archive_line()!r};"
                " remove the line",
            )
            return
        group = (
            self.directory.entry(entry_id).name
            if self.directory.kind(entry_id) == "group"
            else None
        )
        for leaf in self.leaves(entry_id):
            self.add(i, leaf, leaf, group or via)

    def run(self) -> DispatchPlan:
        self.resolve_sender()
        sender = self.sender.id if self.sender else None
        for i, r in enumerate(self.content.recipients):
            if r.ref is not None:
                if r.ref not in self.directory:
                    self.problem(
                        "unknown_ref",
                        f"recipients[{i}].ref",
                        f"'{r.line()}' refers to {r.ref!r}, which is not in the directory",
                    )
                    continue
                self.add_entry(i, r.ref, None)
            elif r.as_above:
                if not self.content.addressees:
                    self.problem(
                        "unresolved_as_above",
                        f"recipients[{i}]",
                        "'Như trên' stands for the Kính gửi addressees, but there are none",
                    )
                for name in self.content.addressees:
                    found = self.directory.find(name, sender)
                    if found is None:
                        self.add(i, None, name, "Kính gửi")
                    else:
                        self.add_entry(i, found, "Kính gửi")
            elif r.as_article is not None:
                self.expand_article(i, r.as_article, sender)
            else:
                self.add(i, None, r.name, None)
        for t in self.targets:
            if t.channel is None:
                self.problem("no_channel", f"recipients[{t.line}]", self.no_channel(t))
        return DispatchPlan(sender, self.unit_id, tuple(self.targets), tuple(self.problems))

    def expand_article(self, i: int, number: int, sender: str | None) -> None:
        text = _article_text(self.content.body, number)
        if text is None:
            self.problem(
                "unresolved_article",
                f"recipients[{i}]",
                f"'Như Điều {number}' but the body has no 'Điều {number}.'",
            )
            return
        found = _named_in(text, self.directory, sender)
        if not found:
            self.problem(
                "unresolved_article",
                f"recipients[{i}]",
                f"'Như Điều {number}': no directory entry is named in Điều {number};"
                " give the line a ref (an entry or a group)",
            )
        for entry_id in found:
            self.add_entry(i, entry_id, f"Điều {number}")

    def no_channel(self, t: Target) -> str:
        if t.ref is not None:
            return f"{t.name} (from '{t.line_text}') has no dispatch channel in the directory"
        hint = self.directory.find(t.name, self.sender.id if self.sender else None)
        return f"'{t.name}' is not in the directory, so it has no dispatch channel" + (
            f"; did you mean ref: {hint}?" if hint else "; add it to the directory and a ref"
        )


def plan(content: DocumentContent, directory: Directory) -> DispatchPlan:
    """Resolve the recipient list against the directory: targets in line order, and problems."""
    return _Planner(content, directory).run()


def dispatch_targets(content: DocumentContent, directory: Directory) -> list[Target]:
    """One target per receiver; raises RecipientError when the list has any problem."""
    result = plan(content, directory)
    if result.problems:
        raise RecipientError(list(result.problems))
    return list(result.targets)


def _symbol_problems(content: DocumentContent, symbol: str) -> Iterator[Problem]:
    text = nfc(symbol).strip()
    notation = text.split("/", 1)[1] if "/" in text else text
    if notation != content.symbol:
        yield Problem(
            "symbol_mismatch",
            "symbol",
            f"the symbol {notation!r} does not match the document's {content.symbol!r}"
            f" (issuer {content.issuer.code}, drafting unit {content.drafting_unit.code}"
            f" in the 'Lưu:' line {content.archive_line()!r})",
        )


def printed_problems(content: DocumentContent, printed_lines: list[str]) -> list[Problem]:
    """Whether the Nơi nhận lines read back from a rendered file are the recipient list."""
    expected = content.recipient_lines()
    printed = [collapse_spaces(nfc(line)) for line in printed_lines if line.strip()]
    if printed == expected:
        return []
    at = next(
        (k for k, (a, b) in enumerate(zip(printed, expected, strict=False)) if a != b),
        min(len(printed), len(expected)),
    )
    got = printed[at] if at < len(printed) else "(nothing)"
    want = expected[at] if at < len(expected) else "(nothing)"
    return [
        Problem(
            "printed_mismatch",
            "recipients",
            f"the printed Nơi nhận block differs from the recipient list at line {at + 1}:"
            f" printed {got!r}, expected {want!r}",
        )
    ]


def issue_problems(
    content: DocumentContent,
    directory: Directory,
    *,
    symbol: str | None = None,
    printed_lines: list[str] | None = None,
) -> list[Problem]:
    """Everything that stops `issue`: the engine's guard calls this and refuses on any problem.

    `symbol` is the ký hiệu being issued ("TB-BGDĐT" or "07/BGDĐT-VP"); `printed_lines` the
    Nơi nhận lines read back from the rendered file. Both are checked against the content.
    """
    problems = list(plan(content, directory).problems)
    if symbol is not None:
        problems.extend(_symbol_problems(content, symbol))
    if printed_lines is not None:
        problems.extend(printed_problems(content, printed_lines))
    return problems


def check_for_issue(
    content: DocumentContent,
    directory: Directory,
    *,
    symbol: str | None = None,
    printed_lines: list[str] | None = None,
) -> None:
    """Raise RecipientError naming every problem, or return when the document may be issued."""
    problems = issue_problems(content, directory, symbol=symbol, printed_lines=printed_lines)
    if problems:
        raise RecipientError(problems)


def kept_copies(content: DocumentContent) -> int:
    """Copies the "Lưu:" line keeps: the stated "(n)", else one for VT and one for the unit."""
    return content.archive_copies or 2


def print_count(content: DocumentContent, targets: list[Target] | tuple[Target, ...]) -> int:
    """Copies to make (Điều 17.1.a): one per target plus the copies kept."""
    return len(targets) + kept_copies(content)
