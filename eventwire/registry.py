"""Small registries through which the stages register themselves.

An ingest reader or an extractor announces itself with a decorator, the way
spaCy components do, so adding a kind of fact means adding one module and
nothing else:

    @extractors.register("times", after=("entities",))
    def extract_times(ctx: Context) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable)


@dataclass
class Entry(Generic[F]):
    name: str
    func: F
    after: tuple[str, ...] = ()


@dataclass
class Registry(Generic[F]):
    kind: str
    entries: dict[str, Entry[F]] = field(default_factory=dict)

    def register(self, name: str, after: Iterable[str] = ()) -> Callable[[F], F]:
        def decorate(func: F) -> F:
            self.entries[name] = Entry(name, func, tuple(after))
            return func

        return decorate

    def get(self, name: str) -> F:
        try:
            return self.entries[name].func
        except KeyError:
            raise KeyError(f"no {self.kind} named {name!r}; known: {sorted(self.entries)}") from None

    def ordered(self) -> list[Entry[F]]:
        """Entries in an order that honours every `after` (a topological sort)."""
        done: list[Entry[F]] = []
        seen: set[str] = set()

        def visit(entry: Entry[F], path: tuple[str, ...]) -> None:
            if entry.name in seen:
                return
            if entry.name in path:
                raise ValueError(f"{self.kind} order has a cycle: {' -> '.join(path + (entry.name,))}")
            for dep in entry.after:
                if dep in self.entries:
                    visit(self.entries[dep], path + (entry.name,))
            seen.add(entry.name)
            done.append(entry)

        for entry in self.entries.values():
            visit(entry, ())
        return done

    def names(self) -> list[str]:
        return [e.name for e in self.ordered()]
