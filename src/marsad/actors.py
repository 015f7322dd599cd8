"""Actor catalog (data/actors.tsv, grown from spec/actors.tsv) and actor mentions in text."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Match, PhraseMatcher, read_tsv
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
class RegionalAlias:
    regional_actor: str
    admin1: frozenset[str]
    other_actor: str


@dataclass(frozen=True)
class ActorCatalog:
    actors: dict[str, Actor]
    matcher: PhraseMatcher[str]
    regional: dict[str, RegionalAlias]  # normalised alias -> which force it names where
    national: dict[tuple[str, str], str]  # (normalised alias, country) -> that country's force

    def find(self, text: str, start: int = 0, end: int | None = None,
             country: str | None = None, admin1: str | None = None) -> list[ActorMention]:
        """Actor mentions in normalised ``text``; actors scoped to another country are left out,
        and an alias that names different forces in different regions is read for ``admin1``."""
        return self.mentions(self.matcher.find_all(text, start, end), country, admin1)

    def mentions(self, matches: list[Match[list[str]]], country: str | None = None,
                 admin1: str | None = None) -> list[ActorMention]:
        """``find`` on the matches of ``matcher`` (to read one text's matches for several contexts)."""
        out = []
        for m in matches:
            ids = [a for a in m.value if a and self.in_scope(a, country)]
            region = self.regional.get(m.key)
            if region is not None and self.in_scope(region.other_actor, country):
                ids = [region.regional_actor if admin1 in region.admin1 else region.other_actor]
            if (m.key, country) in self.national:
                ids = [self.national[(m.key, country)]]
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
    regional = {normalize(r["alias"]): RegionalAlias(r["regional_actor"], frozenset(r["admin1"].split("|")), r["other_actor"])
                for r in read_tsv("actor_regions.tsv")}
    national = {(normalize(r["alias"]), r["country"]): r["actor"] for r in read_tsv("actor_country_aliases.tsv")}
    known = {normalize(a) for a, _ in entries}
    entries.extend((alias, "") for alias in list(regional) + [a for a, _ in national] if alias not in known)
    return ActorCatalog(actors, PhraseMatcher(entries, definite_forms=True), regional, national)
