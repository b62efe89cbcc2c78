"""What pass-format prepared, kept in this process for sign.

pass-format prepares the draft to check its format; sign needs the very same rendition (prepared
but for number and date). An entry is keyed by the content's SHA-256, the template's version and
the draft year, which together decide the rendition: an edit changes the first, another template
the second, a new year the third, and then nothing stored matches. Bounded, least recently used
out first; a miss only means preparing again (another server process, a restart).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

P = TypeVar("P")
DraftKey = tuple[str, str, int]  # (content SHA-256, template version, draft year)


class PreparedDrafts(Generic[P]):
    """A small thread-safe LRU of prepared renditions by DraftKey."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._held: OrderedDict[DraftKey, P] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: DraftKey) -> P | None:
        with self._lock:
            found = self._held.get(key)
            if found is not None:
                self._held.move_to_end(key)
            return found

    def put(self, key: DraftKey, prepared: P) -> None:
        with self._lock:
            self._held[key] = prepared
            self._held.move_to_end(key)
            while len(self._held) > self.size:
                self._held.popitem(last=False)

    def __len__(self) -> int:
        return len(self._held)
