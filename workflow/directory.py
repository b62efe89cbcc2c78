"""The directory: organisations, their units and positions, people, groups and delegations.

Recipients, dispatch and the "Nơi nhận" block all resolve names through it, so one entry (one id)
stands for one receiver everywhere. Loaded from fixtures/directory/*.yaml (or the database later).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from workflow.content import Part as _Part
from workflow.errors import VanthuError
from workflow.vietnamese import canonical_tones, collapse_spaces, nfc

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "directory"

ChannelKind = Literal["email", "edxml", "paper", "internal"]
CHANNEL_KINDS: tuple[str, ...] = ("email", "edxml", "paper", "internal")
Kind = Literal["organisation", "unit", "position", "group"]

_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class DirectoryError(VanthuError):
    """The directory data breaks one of its own rules (a fixture or import is wrong)."""

    code = "invalid_directory"


class UnknownEntry(VanthuError):
    """A directory id or name that the directory does not hold."""

    code = "unknown_directory_entry"


def name_key(text: str) -> str:
    """How names are compared: NFC, canonical tones, one space, case-folded."""
    return canonical_tones(collapse_spaces(nfc(text))).casefold()


class _Entry(_Part):
    id: str

    @model_validator(mode="after")
    def _check_id(self) -> _Entry:
        if not _ID.match(self.id):
            raise ValueError(
                f"id {self.id!r}: lower-case ASCII letters, digits, '.' and '-' only,"
                " e.g. 'bgddt.vp' or 'sgddt-ha-noi'"
            )
        return self


class Channel(_Part):
    """How a copy reaches a receiver: email, edXML exchange, paper post, or internal delivery."""

    kind: ChannelKind
    address: str | None = Field(None, description="Email address (email) or postal address")

    @model_validator(mode="after")
    def _address(self) -> Channel:
        if self.kind == "email" and not (self.address and _EMAIL.match(self.address)):
            raise ValueError(f"an email channel needs an email address, got {self.address!r}")
        if self.kind == "paper" and not self.address:
            raise ValueError("a paper channel needs the postal address")
        if self.kind in ("edxml", "internal") and self.address:
            raise ValueError(
                f"a {self.kind} channel takes no address (edXML uses the organisation's organ_id)"
            )
        return self


INTERNAL = Channel(kind="internal")


def _internal() -> list[Channel]:
    return [INTERNAL]


class Unit(_Entry):
    """A unit inside an organisation (Văn phòng, Vụ …, Cục …); its code goes into symbols."""

    name: str
    code: str
    aliases: list[str] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=_internal)


class Position(_Entry):
    """A post (Bộ trưởng, Thứ trưởng, Chánh Văn phòng …), held by a person or vacant/unknown."""

    title: str
    unit: str | None = Field(None, description="Unit id when the post belongs to a unit")
    holder: str | None = Field(None, description="Person id; empty when not known for certain")
    channels: list[Channel] = Field(default_factory=_internal)


class Organisation(_Entry):
    """An agency that issues or receives documents; `organ_id` is its edXML OrganId."""

    name: str
    code: str = Field(description="Its code in symbols, e.g. 'BGDĐT'")
    organ_id: str | None = Field(None, description="edXML OrganId (QĐ 20/2020/QĐ-TTg)")
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)

    @model_validator(mode="after")
    def _edxml_needs_organ_id(self) -> Organisation:
        if any(c.kind == "edxml" for c in self.channels) and not self.organ_id:
            raise ValueError(f"{self.id}: an edxml channel needs the organisation's organ_id")
        return self


class Person(_Entry):
    name: str


class Group(_Entry):
    """A named list that prints as one line but is dispatched to every member."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    members: list[str] = Field(min_length=1)


class Delegation(_Entry):
    """Who signs for whom: KT. (deputy), TL. (by order), TUQ. (written authorisation)."""

    principal: str = Field(description="Position id of the head")
    delegate: str = Field(description="Position id of who signs")
    prefix: Literal["KT.", "TL.", "TUQ."]
    scope: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class DirectoryData(_Part):
    """What one directory file (or all of them merged) holds."""

    organisations: list[Organisation] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    delegations: list[Delegation] = Field(default_factory=list)


Entry = Organisation | Unit | Position | Group


class Directory:
    """The validated directory with its lookups; immutable once built."""

    def __init__(self, data: DirectoryData) -> None:
        self.data = data
        self._entries: dict[str, Entry] = {}
        self._kinds: dict[str, Kind] = {}
        self._org_of: dict[str, str] = {}
        self._people: dict[str, Person] = {}
        self._names: dict[str, list[str]] = {}
        self._index()
        self._check()

    # -- building ---------------------------------------------------------------------------

    def _add(self, entry: Entry | Person, kind: Kind | None) -> None:
        if entry.id in self._entries or entry.id in self._people:
            raise DirectoryError(f"directory id {entry.id!r} is used twice; ids must be unique")
        if isinstance(entry, Person):
            self._people[entry.id] = entry
            return
        assert kind is not None
        self._entries[entry.id] = entry
        self._kinds[entry.id] = kind

    def _index(self) -> None:
        for org in self.data.organisations:
            self._add(org, "organisation")
            self._org_of[org.id] = org.id
            for unit in org.units:
                self._add(unit, "unit")
                self._org_of[unit.id] = org.id
            for pos in org.positions:
                self._add(pos, "position")
                self._org_of[pos.id] = org.id
        for person in self.data.people:
            self._add(person, None)
        for group in self.data.groups:
            self._add(group, "group")
        for entry_id, entry in self._entries.items():
            for name in self._names_of(entry):
                self._names.setdefault(name_key(name), []).append(entry_id)

    @staticmethod
    def _names_of(entry: Entry) -> list[str]:
        if isinstance(entry, Position):
            return [entry.title]
        return [entry.name, *entry.aliases]

    def _check(self) -> None:
        for org in self.data.organisations:
            if org.parent is not None and self._kinds.get(org.parent) != "organisation":
                raise DirectoryError(f"{org.id}.parent: {org.parent!r} is not an organisation")
            for pos in org.positions:
                if pos.unit is not None and (
                    self._kinds.get(pos.unit) != "unit" or self._org_of[pos.unit] != org.id
                ):
                    raise DirectoryError(f"{pos.id}.unit: {pos.unit!r} is not a unit of {org.id}")
                if pos.holder is not None and pos.holder not in self._people:
                    raise DirectoryError(f"{pos.id}.holder: no person {pos.holder!r}")
        for group in self.data.groups:
            for member in group.members:
                if member not in self._entries:
                    raise DirectoryError(
                        f"group {group.id}: member {member!r} is not in the directory"
                    )
            seen: dict[str, str] = {}
            for leaf, path in self._walk(group.id, ()):
                if leaf in seen:
                    raise DirectoryError(
                        f"group {group.id}: {leaf} is a member twice"
                        f" (through {seen[leaf]} and through {' > '.join(path)})"
                    )
                seen[leaf] = " > ".join(path)
        for d in self.data.delegations:
            for field in ("principal", "delegate"):
                value = getattr(d, field)
                if self._kinds.get(value) != "position":
                    raise DirectoryError(f"delegation {d.id}.{field}: {value!r} is not a position")
            if d.valid_from and d.valid_to and d.valid_to < d.valid_from:
                raise DirectoryError(f"delegation {d.id}: valid_to is before valid_from")

    def _walk(self, group_id: str, path: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...]]]:
        if group_id in path:
            raise DirectoryError(f"group {group_id} contains itself: {' > '.join(path)}")
        group = self._entries[group_id]
        assert isinstance(group, Group)
        for member in group.members:
            if self._kinds[member] == "group":
                yield from self._walk(member, (*path, group_id))
            else:
                yield member, (*path, group_id)

    # -- loading ----------------------------------------------------------------------------

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> Directory:
        """Merge several YAML files (each a DirectoryData mapping) into one directory."""
        merged: dict[str, list[Any]] = {
            "organisations": [],
            "people": [],
            "groups": [],
            "delegations": [],
        }
        for path in paths:
            path = Path(path)
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(raw, dict):
                raise DirectoryError(f"{path}: a directory file is a mapping")
            unknown = set(raw) - set(merged)
            if unknown:
                raise DirectoryError(
                    f"{path}: unknown section(s) {', '.join(sorted(unknown))};"
                    f" known: {', '.join(merged)}"
                )
            for key, items in raw.items():
                merged[key].extend(items or [])
        try:
            data = DirectoryData.model_validate(merged)
        except ValidationError as exc:
            raise DirectoryError(str(exc)) from exc
        return cls(data)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> Directory:
        """Load every *.yaml file in a folder (default: fixtures/directory/), or one file."""
        path = Path(path)
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        if not files:
            raise DirectoryError(f"{path}: no directory files (*.yaml)")
        return cls.from_files(files)

    # -- lookups ----------------------------------------------------------------------------

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def ids(self, kind: Kind | None = None) -> list[str]:
        return [i for i, k in self._kinds.items() if kind is None or k == kind]

    def entry(self, entry_id: str) -> Entry:
        try:
            return self._entries[entry_id]
        except KeyError:
            raise UnknownEntry(f"no directory entry {entry_id!r}") from None

    def kind(self, entry_id: str) -> Kind:
        self.entry(entry_id)
        return self._kinds[entry_id]

    def person(self, person_id: str) -> Person:
        try:
            return self._people[person_id]
        except KeyError:
            raise UnknownEntry(f"no person {person_id!r} in the directory") from None

    def organisation(self, entry_id: str) -> Organisation | None:
        """The organisation an entry is (or belongs to); None for a group."""
        org_id = self._org_of.get(entry_id)
        if org_id is None:
            self.entry(entry_id)
            return None
        org = self._entries[org_id]
        assert isinstance(org, Organisation)
        return org

    def organisation_by_code(self, code: str) -> Organisation:
        """The one organisation using `code` in its symbols (the issuer of a document)."""
        found = [o for o in self.data.organisations if nfc(o.code) == nfc(code.strip())]
        if len(found) != 1:
            what = "no" if not found else f"{len(found)}"
            raise UnknownEntry(
                f"issuer code {code!r}: {what} organisations in the directory use it"
                + (f" ({', '.join(o.id for o in found)})" if found else "")
            )
        return found[0]

    def unit_by_code(self, org_id: str, code: str) -> Unit | None:
        org = self.entry(org_id)
        if not isinstance(org, Organisation):
            raise UnknownEntry(f"{org_id!r} is not an organisation")
        return next((u for u in org.units if u.code == code.strip()), None)

    def holder(self, position_id: str) -> Person | None:
        pos = self.entry(position_id)
        if not isinstance(pos, Position):
            raise UnknownEntry(f"{position_id!r} is not a position")
        return self._people[pos.holder] if pos.holder else None

    def members(self, group_id: str) -> list[str]:
        """Every receiver in a group, nested groups expanded, in the listed order."""
        if self.kind(group_id) != "group":
            raise UnknownEntry(f"{group_id!r} is not a group")
        return [leaf for leaf, _ in self._walk(group_id, ())]

    def delegations(self, delegate: str | None = None) -> list[Delegation]:
        return [d for d in self.data.delegations if delegate is None or d.delegate == delegate]

    def display_name(self, entry_id: str, sender: str | None = None) -> str:
        """A receiver's name for delivery lists; units and posts of another body name it."""
        entry = self.entry(entry_id)
        org = self.organisation(entry_id)
        outside = org is not None and org.id != sender
        if isinstance(entry, Position):
            name = entry.title
            if entry.unit is not None:
                unit = self.entry(entry.unit)
                assert isinstance(unit, Unit)
                # "Chánh Văn phòng" already names its unit; "Vụ trưởng" needs "Vụ …" after it.
                if name_key(unit.name) not in name_key(name):
                    name = f"{name} {unit.name}"
            if outside and org is not None:
                name = f"{name} {org.name}"
            person = self.holder(entry_id)
            return f"{name} ({person.name})" if person else name
        if isinstance(entry, Unit) and outside and org is not None:
            return f"{entry.name}, {org.name}"
        return entry.name

    def channels(self, entry_id: str, sender: str | None = None) -> tuple[Channel, ...]:
        """How `entry_id` can receive from `sender` (an organisation id), preferred first.

        Units and posts of the sending organisation receive internally; seen from outside they
        receive through their own external channels, else through their organisation's.
        """
        entry = self.entry(entry_id)
        if isinstance(entry, Group):
            raise UnknownEntry(f"{entry_id!r} is a group: dispatch goes to its members")
        if isinstance(entry, Organisation):
            return tuple(entry.channels)
        org = self.organisation(entry_id)
        assert org is not None
        if org.id == sender:
            return tuple(entry.channels)
        external = tuple(c for c in entry.channels if c.kind != "internal")
        return external or tuple(org.channels)

    def find(self, name: str, sender: str | None = None) -> str | None:
        """The one entry called `name` (or an alias of it); the sender's own units first."""
        ids = self._names.get(name_key(name), [])
        if sender is not None:
            own = [i for i in ids if self._org_of.get(i) == sender and i != sender]
            if len(own) == 1:
                return own[0]
            if len(own) > 1:
                return None
        outside = [i for i in ids if self._kinds[i] in ("organisation", "group")]
        return outside[0] if len(outside) == 1 else None

    def names(self, sender: str | None = None) -> Iterator[tuple[str, str]]:
        """(folded name, id) pairs findable in text: sender's units and posts, bodies, groups."""
        for key, ids in self._names.items():
            for entry_id in ids:
                kind = self._kinds[entry_id]
                if kind in ("organisation", "group") or self._org_of.get(entry_id) == sender:
                    yield key, entry_id
