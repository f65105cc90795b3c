"""One cache pattern for the web app: a bounded map whose values are computed once per key.

Readers arrive together (a shared link opened by a team, a load test) and would each render the same
page or parse the same map. ``OnceCache.get(key, compute)`` lets the first reader compute
while the others for that key wait and then take its value; readers of other keys do not wait. The
per-key locks live only while a value is being computed (an unknown run asked for many times leaves
nothing behind), and the oldest values leave once ``size`` are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class OnceCache(Generic[V]):
    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value under ``key``, computed by ``compute()`` if no one has (an exception reaches every
        caller that computes; nothing is kept for it)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            busy = self._computing.setdefault(key, threading.Lock())
        with busy:  # callers of the same key wait here for the one that computes
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
                self.put(key, value)
            finally:
                with self._lock:
                    if self._computing.get(key) is busy:
                        del self._computing[key]
        return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def peek(self, key: Hashable) -> V | None:
        with self._lock:
            return self._values.get(key)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    @property
    def computing(self) -> int:
        """Keys being computed now (0 when idle: no lock is left behind)."""
        with self._lock:
            return len(self._computing)
