"""One cache of compiled SQL for every data file's engine, rather than one per engine.

SQLAlchemy keeps the SQL it compiled from a statement in a cache of the engine (``query_cache_size``), keyed by the
statement's shape and by the engine's dialect *object*. Every data file opened -- the other laptop's copy in a merge,
a backup checked, each file a test makes -- has an engine of its own, so each compiled the same statements again:
half the CPU of merging two small files went to compiling. The engines :func:`store.make_engine` makes are made alike
and their dialects compile alike, so this cache keys a dialect by its settings instead of by the object (the ORM's
own flush caches are shared by all engines in the same way, keyed by the dialect object).
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.util import LRUCache

# SQLAlchemy's size for one engine's cache: the app's statements, not one file's.
STATEMENTS_KEPT = 500

_PLAIN = (bool, int, float, str, type(None), tuple)


class SharedStatementCache:
    """A mapping SQLAlchemy takes as the ``compiled_cache`` execution option, shared by engines whose dialects
    have the same class, driver and settings (those SQLite's version and the engine's arguments gave them)."""

    def __init__(self, size: int = STATEMENTS_KEPT) -> None:
        self._compiled: LRUCache[Any, Any] = LRUCache(size)
        self._settings: weakref.WeakKeyDictionary[Dialect, tuple[Any, ...]] = weakref.WeakKeyDictionary()

    def _key(self, key: Any) -> Any:
        # SQLAlchemy's key is (dialect, the statement's cache key, …); any other shape is kept as it is (per dialect).
        if not (isinstance(key, tuple) and key and isinstance(key[0], Dialect)):
            return key
        dialect = key[0]
        settings = self._settings.get(dialect)
        if settings is None:
            # Read at the first statement, after the first connection set the dialect up (``initialize``).
            plain = sorted((name, value) for name, value in vars(dialect).items() if isinstance(value, _PLAIN))
            settings = (type(dialect), dialect.dbapi, tuple(plain))
            self._settings[dialect] = settings
        return (settings, *key[1:])

    def get(self, key: Any, default: Any = None) -> Any:
        return self._compiled.get(self._key(key), default)

    def __getitem__(self, key: Any) -> Any:
        return self._compiled[self._key(key)]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._compiled[self._key(key)] = value

    def __len__(self) -> int:
        return len(self._compiled)

    def clear(self) -> None:
        self._compiled.clear()


DATA_FILE_STATEMENTS = SharedStatementCache()
