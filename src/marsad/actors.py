"""Actor catalog (data/actors.tsv, grown from spec/actors.tsv) and actor mentions in text."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexicon import PhraseMatcher, read_tsv
from .text import normalize


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    short: str
    inter: int
    scope: str  # a country name or "any"


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int  # normalised offsets of the alias (clitics excluded)
    end: int
    token_start: int


@dataclass(frozen=True)
class ActorCatalog:
    actors: dict[str, Actor]
    matcher: PhraseMatcher[str]

    def find(self, text: str, start: int = 0, end: int | None = None,
             country: str | None = None) -> list[ActorMention]:
        """Actor mentions in normalised ``text``; actors scoped to another country are left out."""
        out = []
        for m in self.matcher.find_all(text, start, end):
            ids = [a for a in m.value if self.in_scope(a, country)]
            if ids:
                out.append(ActorMention(ids[0], m.start, m.end, m.token_start))
        return out

    def in_scope(self, actor_id: str, country: str | None) -> bool:
        scope = self.actors[actor_id].scope
        return scope == "any" or country is None or scope == country


@lru_cache(maxsize=1)
def catalog() -> ActorCatalog:
    actors: dict[str, Actor] = {}
    entries: list[tuple[str, str]] = []
    for row in read_tsv("actors.tsv"):
        actor = Actor(row["id"], row["name"], row["short"], int(row["inter"]), row["scope"])
        actors[actor.id] = actor
        entries.extend((alias, actor.id) for alias in row["arabic_aliases"].split("|") if alias)
    nouns = [normalize(r["noun"]) for r in read_tsv("actor_nouns.tsv")]
    for row in read_tsv("actor_forms.tsv"):
        for adjective in row["adjectives"].split("|"):
            adj = normalize(adjective)
            for noun in nouns:
                definite = noun.startswith("ال")
                form = f"{noun} ال{adj}" if definite else f"{noun} {adj}"
                entries.append((form, row["actor"]))
    return ActorCatalog(actors, PhraseMatcher(entries, definite_forms=True))
