"""Tutor (exercise) service: generate exercises from knowledge content, grade answers,
remediate mistakes, and trace each learner's mastery (ARCHITECTURE section 8).

Entry point for callers (HTTP app, Lambda, console): :class:`TutorService`.
"""

from __future__ import annotations

__all__ = ["TutorService"]


def __getattr__(name: str):
    if name == "TutorService":
        from .service import TutorService

        return TutorService
    raise AttributeError(name)
