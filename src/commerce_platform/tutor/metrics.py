"""Prometheus metrics of one tutor app, on its own CollectorRegistry (several apps per process)."""

from __future__ import annotations


class TutorMetrics:
    def __init__(self, registry=None) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = registry or CollectorRegistry(auto_describe=True)
        self.requests = Counter("tutor_requests", "HTTP requests", ["route", "method", "status"],
                                registry=self.registry)
        self.latency = Histogram("tutor_request_latency_seconds", "HTTP request latency", ["route"],
                                 registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        self.generated = Counter("tutor_exercises_generated", "Exercises generated",
                                 ["type", "difficulty", "generator"], registry=self.registry)
        self.graded = Counter("tutor_grading_outcomes", "Graded responses", ["type", "verdict"],
                              registry=self.registry)
        self.remediations = Counter("tutor_remediations", "Remediations given", ["type"], registry=self.registry)

    def exposition(self) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST
