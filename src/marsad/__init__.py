"""marsad: Arabic conflict news to ACLED-style events, offline."""
from __future__ import annotations

from datetime import date

from .model import Article, Event

__all__ = ["Article", "Event", "extract", "extract_article"]
__version__ = "0.1.0"


def extract(text: str, published: date | None = None, *, title: str | None = None) -> list[Event]:
    """Events reported in an Arabic article ``text`` published on ``published``."""
    from .events import extract_events
    return extract_events(Article(id="", text=text, published=published, title=title))


def extract_article(article: Article) -> list[Event]:
    from .events import extract_events
    return extract_events(article)
