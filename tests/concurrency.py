"""Running the same work in several threads at once, as concurrent requests or workers would
(for the tests of row locks and unique constraints, which need PostgreSQL)."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(count: int, work: Callable[[int], T], *, timeout: float = 30) -> list[T]:
    """Runs ``work(0)`` … ``work(count - 1)``, each in its own thread, released together by a
    barrier; each thread closes its database connections when done. Returns the results in
    the order they came; an exception in any thread is raised here."""
    barrier = threading.Barrier(count)
    results: list[T] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results.append(work(n))
        except BaseException as exc:  # noqa: BLE001 - raised in the test's thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
