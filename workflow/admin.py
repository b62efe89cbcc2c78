"""What only the admin may do outside the workflow: replace the directory of receivers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.directory import DEFAULT_PATH, Directory, DirectoryData
from workflow.errors import Forbidden
from workflow.states import Role
from workflow.users import Actor

if TYPE_CHECKING:
    from workflow.store import Database


def require_admin(actor: Actor, what: str) -> None:
    if not actor.has(Role.ADMIN):
        raise Forbidden(f"only admin may {what}; {actor.username} has {sorted(actor.roles)}")


def replace_directory(db: Database, actor: Actor, data: DirectoryData) -> Directory:
    """Validate `data` as a whole directory and store it in place of the current one."""
    require_admin(actor, "replace the directory")
    directory = Directory(data)  # DirectoryError names what is inconsistent
    with db.uow() as uow:
        uow.entries.replace(directory.data, datetime.now(UTC))
        uow.commit()
    return directory


def load_directory_files(db: Database, actor: Actor, path: str | Path = DEFAULT_PATH) -> Directory:
    """Replace the directory with the files at `path` (default: fixtures/directory/)."""
    require_admin(actor, "load the directory")
    return replace_directory(db, actor, Directory.load(path).data)
