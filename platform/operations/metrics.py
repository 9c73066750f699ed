"""Prometheus metrics: what the database and broker say at scrape time, plus this process's request counts.

Web and worker are separate processes (several of each), so the grading figures are not counted in
memory: a collector reads them from the database (submissions by status, submit-to-verdict
latency, the sandbox counters the workers add to, worker heartbeats) and the broker (queue depths)
when Prometheus scrapes. Requests are counted in the web process; with several gunicorn processes
set PROMETHEUS_MULTIPROC_DIR so that the scrape adds up all of them.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from operations import selectors

CASE_OUTCOMES = ("pass", "fail", "error", "timeout", "memory", "forbidden", "platform_error")
REQUESTS = Counter(
    "dlgrade_http_requests", "HTTP requests served, by method and status class", ["method", "status"], registry=None
)


class PlatformCollector:
    """Reads the deployment's state at each scrape."""

    def collect(self):
        by_status = GaugeMetricFamily("dlgrade_submissions", "Submissions by status", labels=["status"])
        for status, count in selectors.submission_counts().items():
            by_status.add_metric([status], count)
        yield by_status

        depth = GaugeMetricFamily("dlgrade_queue_depth", "Messages waiting on each broker queue", labels=["queue"])
        for queue, count in selectors.queue_depths().items():
            if count is not None:
                depth.add_metric([queue], count)
        yield depth

        oldest = selectors.oldest_queued_age_s()
        yield GaugeMetricFamily(
            "dlgrade_oldest_queued_submission_seconds", "Age of the oldest queued submission", value=oldest or 0.0
        )

        latency = selectors.submit_to_verdict()
        histogram = HistogramMetricFamily(
            "dlgrade_submit_to_verdict_seconds", "Seconds from submitting to the verdict (every finished submission)"
        )
        histogram.add_metric(
            [],
            [(str(bound) if bound != float("inf") else "+Inf", count) for bound, count in latency.buckets],
            latency.sum_s,
        )
        yield histogram

        counters = selectors.sandbox_counters()
        outcomes = CounterMetricFamily(
            "dlgrade_sandbox_case_outcomes",
            "Cases run in the sandbox by outcome (platform_error: a grading)",
            labels=["outcome"],
        )
        for outcome in CASE_OUTCOMES:
            outcomes.add_metric([outcome], counters.get(outcome, 0))
        yield outcomes
        yield CounterMetricFamily(
            "dlgrade_zygote_restarts",
            "Sandbox zygotes restarted after a failure",
            value=counters.get("zygote_restarts", 0),
        )

        workers = selectors.workers_online()
        yield GaugeMetricFamily("dlgrade_workers", "Grading workers online (heartbeat fresh)", value=len(workers))
        yield GaugeMetricFamily(
            "dlgrade_workers_trusted",
            "Workers online whose sandbox self-test passed recently",
            value=sum(selectors.worker_is_trusted(worker) for worker in workers),
        )
        yield GaugeMetricFamily(
            "dlgrade_worker_slots",
            "Grading processes over the workers online",
            value=sum(w.concurrency for w in workers),
        )


def exposition() -> bytes:
    """The text format Prometheus scrapes."""
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
    registry.register(PlatformCollector())
    return generate_latest(registry)
