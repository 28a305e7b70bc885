"""CPU-bound work (the report reader, the FHIR import, `assess`, the cards) runs off the event
loop, in a bounded pool of threads, within a per-request time budget (red team B2).

While one long report is read, `/healthz` and every other call keep being answered: the loop
only awaits the pool. The pool is bounded (BONEMET_CPU_WORKERS), so a burst of heavy requests
queues instead of starving the process, and the budget (BONEMET_REQUEST_BUDGET_SECONDS) counts
the wait in that queue: past it the caller gets 503 with Retry-After, never an endless wait.
(A thread cannot be stopped: work past the budget finishes in the background and its result is
dropped. The report limit, BONEMET_MAX_REPORT_CHARS, keeps each piece of work short.)
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class OverBudgetError(Exception):
    """The work did not finish within the request's time budget (HTTP 503)."""

    def __init__(self, budget_seconds: float) -> None:
        super().__init__(
            f"the assessment did not finish within {budget_seconds:g} s (BONEMET_REQUEST_BUDGET_SECONDS); "
            "the service is busy: try again"
        )
        self.budget_seconds = budget_seconds


class CpuPool:
    def __init__(self, workers: int, budget_seconds: float) -> None:
        self.workers = workers
        self.budget_seconds = budget_seconds
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="bonemet-cpu")
        return self._executor

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool(), functools.partial(function, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, self.budget_seconds)
        except TimeoutError:
            raise OverBudgetError(self.budget_seconds) from None

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
