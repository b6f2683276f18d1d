"""The load generator: runs in its own process, so that its CPU time is not the server's.

It reads one job as JSON on stdin and writes the measurements as JSON on stdout:

    {"url": "http://127.0.0.1:PORT/graphql", "query": "...", "variables": [{...}, ...],
     "concurrency": 8, "requests": 400, "duration": 10.0, "warmup": 5}

`concurrency` workers send requests back to back (closed loop), cycling through the variable
sets, until `requests` have completed or `duration` seconds have passed, whichever comes first.
An error is a non-200 answer, a transport failure, or a GraphQL answer with `errors` or without
`data`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx


async def run_load(call: Callable[[dict[str, Any]], Awaitable[str | None]],
                   variables: Sequence[dict[str, Any]], concurrency: int, requests: int,
                   duration: float, warmup: int = 0) -> dict[str, Any]:
    """Drive `call` (returns None on success, an error message otherwise) in a closed loop."""
    cycle = itertools.cycle(variables or [{}])
    warm_until = time.perf_counter() + duration / 3
    for _ in range(warmup):
        if time.perf_counter() > warm_until:
            break
        with contextlib.suppress(Exception):
            await call(next(cycle))
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    start = time.perf_counter()
    deadline = start + duration

    async def worker() -> None:
        nonlocal issued
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            t0 = time.perf_counter()
            try:
                problem = await call(next(cycle))
            except Exception as exc:  # a transport failure is an error, not a crash
                problem = f"{type(exc).__name__}: {exc}"
            latencies.append((time.perf_counter() - t0) * 1000)
            if problem is not None:
                errors.append(problem)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return {"latencies_ms": latencies, "errors": len(errors), "error_samples": errors[:3],
            "elapsed_s": elapsed, "completed": len(latencies), "concurrency": concurrency}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    lat = result["latencies_ms"]
    return {
        "p50": percentile(lat, 50), "p95": percentile(lat, 95), "p99": percentile(lat, 99),
        "rps": result["completed"] / result["elapsed_s"] if result["elapsed_s"] else 0.0,
        "errors": result["errors"], "n": result["completed"],
        "error_samples": result["error_samples"], "concurrency": result["concurrency"],
    }


def _graphql_error(resp: httpx.Response) -> str | None:
    if resp.status_code != 200:
        return f"HTTP {resp.status_code}: {resp.text[:200]}"
    body = resp.json()
    if body.get("errors"):
        return "; ".join(str(e.get("message")) for e in body["errors"])[:300]
    if body.get("data") is None:
        return "no data"
    return None


async def graphql_job(job: dict[str, Any]) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=job["concurrency"],
                          max_keepalive_connections=job["concurrency"])
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        async def call(variables: dict[str, Any]) -> str | None:
            body = {"query": job["query"], "variables": variables}
            if job.get("operation_name"):
                body["operationName"] = job["operation_name"]
            resp = await client.post(job["url"], json=body)
            return _graphql_error(resp)

        return await run_load(call, job["variables"], job["concurrency"], job["requests"],
                              job["duration"], job.get("warmup", 0))


def main() -> None:
    job = json.load(sys.stdin)
    result = asyncio.run(graphql_job(job))
    json.dump(summarize(result), sys.stdout)


if __name__ == "__main__":
    main()
