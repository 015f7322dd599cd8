"""Event assembly (placeholder until the assembly stage lands)."""
from __future__ import annotations

from .model import Article, Event


def extract_events(article: Article) -> list[Event]:
    return []
