"""The library's annotations by paper id, counting its changes.

Search filters on status, notes and tags read every annotated paper; at
10,000 annotations making those rows took 7-9 ms of each keystroke's search
(an enum's ``.value`` alone half of it). The rows are kept between searches
(:class:`tracker.library.facets.Facets`) for as long as ``version`` says no
annotation changed. Annotations are replaced, never changed in place
(``Changes`` stores a copy), so counting the map's writes is enough.
"""

from __future__ import annotations

from typing import Any

from tracker.models import Annotation


class AnnotationMap(dict[str, Annotation]):
    """A dict whose ``version`` goes up on every write (every method that writes)."""

    __slots__ = ("version",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = 0

    def __setitem__(self, key: str, value: Annotation) -> None:
        super().__setitem__(key, value)
        self.version += 1

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.version += 1

    def __ior__(self, other: Any) -> AnnotationMap:  # type: ignore[override,misc]
        self.update(other)
        return self

    def pop(self, *args: Any) -> Any:
        self.version += 1
        return super().pop(*args)

    def popitem(self) -> tuple[str, Annotation]:
        self.version += 1
        return super().popitem()

    def clear(self) -> None:
        self.version += 1
        super().clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.version += 1
        super().update(*args, **kwargs)

    def setdefault(self, key: str, default: Annotation) -> Annotation:
        self.version += 1
        return super().setdefault(key, default)
