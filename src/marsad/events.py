"""Event assembly: from the recognisers' mentions to one event per action, place and day.

Reading order follows a coder's: sentence by sentence, keeping the section's place and the
story's date in mind, so that "the operation" in a later sentence adds its fatalities and
sources to the incident it refers back to instead of starting a new one.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta

from .actors import ActorMention, catalog
from .attributions import SourceMention, find_attribution_verbs, find_sources, source_names
from .confidence import Evidence, describe_evidence, score_confidence
from .fatalities import KillCount, find_kill_counts
from .model import Article, Event
from .notes import english_note
from .gazetteer import km_between
from .places import PlaceContext, PlaceMention, ResolvedPlace, article_context, dateline_end, find_places, resolve
from .roles import assign_roles
from .text import NormalizedText, Sentence, normalize, tokens
from .times import TimeMention, find_times
from .triggers import SentenceContexts, Trigger, find_triggers
from .typing_rules import FAMILY, combine_types, merged_type

CAPTION_CREDIT = re.compile(r"(\([^()]{2,40}\)|\s[-–—ـ]\s*\S+(?:\s\S+){0,3})\s*$")
MAX_EVENT_AGE_DAYS = 366
RECENT_RANGE_DAYS = 7
NEIGHBOURHOOD_WORDS = {"حي", "ساحه", "شارع", "دوار", "حاره"}


@dataclass
class Draft:
    """An event being assembled from one or more sentences."""
    event_type: str
    sub_event_type: str
    rank: int
    place: ResolvedPlace
    day: date | None
    precision: int
    explicit_date: bool
    sentences: list[Sentence]
    triggers: list[Trigger]
    time: TimeMention | None
    actors: list[ActorMention] = field(default_factory=list)
    roles: dict[str, object] = field(default_factory=dict)
    kills: dict[str, list[KillCount]] = field(default_factory=dict)  # source -> kill counts
    sources: list[SourceMention] = field(default_factory=list)
    kill_only: bool = False  # only a killing or a refining word: may merge into another draft
    support_only: bool = False  # only refining words: dropped unless it merges
    section: int = 0
    date_how: str = "sentence"  # sentence | carried | publication
    place_how: str = "named"  # named | carried
    actor_how: str = "named"  # named | carried | default
    anaphoric: bool = False  # the sentence refers back ("العملية", "الهجوم")

    @property
    def place_key(self) -> str:
        p = self.place
        return normalize(p.name_ar).removeprefix("ال") if p.place is None else f"{p.place.kind}:{p.place.name_en}:{p.place.latitude:.3f}"


def extract_events(article: Article) -> list[Event]:
    text_layer = NormalizedText(article.text)
    reader = _ArticleReader(article, text_layer)
    return reader.read()


class _ArticleReader:
    def __init__(self, article: Article, nt: NormalizedText):
        self.article = article
        self.nt = nt
        self.text = nt.text
        self.toks = tokens(self.text)
        self.times = find_times(self.text, article.published)
        actor_matches = catalog().matcher.find_all(self.text)
        actors_any = catalog().mentions(actor_matches)
        self.verbs = find_attribution_verbs(self.text, self.toks)
        self.token_starts = [a for a, _ in self.toks]
        named = source_names(self.text, nt.quotes)
        sources_any = find_sources(self.text, self.toks, actors_any, article.outlet, nt.quotes, self.verbs, named)
        blocked = [(a.start, a.end) for a in actors_any] + [(m.start, m.end) for m in sources_any]
        dateline = dateline_end(self.text)
        self.places = find_places(self.text, blocked, dateline, self.toks)
        self.ctx: PlaceContext = article_context(self.places, dateline)
        self.actors = catalog().mentions(actor_matches, country=self.ctx.country, admin1=self.ctx.admin1)
        names = [(p.start, p.end) for p in self.places] + [(m.start, m.end) for m in sources_any]
        self.triggers = [t for t in find_triggers(self.text, self.toks)
                         if not any(a < t.end and t.start < b for a, b in names)]
        self.sources = find_sources(self.text, self.toks, self.actors, article.outlet, nt.quotes, self.verbs, named)
        self.kills = find_kill_counts(self.text, self.toks, [s.start for s in nt.sentences],
                                      [(t.start, t.end) for t in self.times])
        self.contexts = SentenceContexts(self.text)
        self.drafts: list[Draft] = []
        # running context
        self.current_day: tuple[date, int, TimeMention] | None = None
        self.current_place: PlaceMention | None = None
        self.last_source: SourceMention | None = None
        self.in_background = False
        self.frame_start: int | None = None
        self.last_roles: dict[str, dict[str, object]] = {}  # family -> roles last read for it
        self.section = 0

    # -- helpers over mention lists -------------------------------------------------------------
    @staticmethod
    def _within(items, s: Sentence):
        return [x for x in items if s.start <= x.start < s.end]

    def read(self) -> list[Event]:
        title_end = self._title_end()
        for s in self.nt.sentences:
            if s.is_heading:
                heading_places = [p for p in self._within(self.places, s)
                                  if (p.candidates or p.place_word) and not p.qualifier]
                if heading_places:
                    self.current_place = heading_places[0]
                    self.section += 1
                if s.start >= title_end:
                    continue
            self._read_sentence(s, is_title=s.end <= title_end)
        self._absorb_vague()
        return [self._to_event(d) for d in self.drafts]

    def _title_end(self) -> int:
        """End of the headline when the article starts with its title (it repeats the story)."""
        first = self.nt.sentences[0] if self.nt.sentences else None
        if first is None or not self.article.title:
            return 0
        line_end = self.text.find("\n", first.start)
        line_end = len(self.text) if line_end == -1 else line_end
        title = normalize(self.article.title).replace('"', "")
        if title[:40] == self.text[first.start:line_end].replace('"', "").strip()[:40]:
            return line_end
        return 0

    def _read_sentence(self, s: Sentence, is_title: bool) -> None:
        kinds = self.contexts.kinds(s.start, s.end)
        if "boilerplate" in kinds or "sport" in kinds or self._is_caption(s):
            return
        times = self._within(self.times, s)
        frames = [t for t in times if self._is_frame(t)]
        day_times = [t for t in times if t not in frames]
        sources = self._within(self.sources, s)
        if sources:
            self.last_source = sources[0]
        sentence_sources = sources or ([self.last_source] if self.last_source and self._has_bare_attribution(s) else [])
        triggers = [t for t in self._within(self.triggers, s) if not t.irrealis]
        first_trigger = min((t.start for t in triggers), default=s.end)
        # A period or another year that frames the sentence ("منذ مطلع أيار ...") makes it
        # background; one inside a later clause only cancels the triggers of that clause.
        background = any(f.start < first_trigger for f in frames)
        live = [t for t in triggers if not t.negated and not any(
            self._same_clause(t.start, f.start) or t.start > f.start for f in frames)]
        self.frame_start = min((f.start for f in frames), default=None)
        explicit = self._nearest_day(day_times, live)
        if background:
            self.in_background = True  # undated sentences that follow continue the background story
        elif explicit is not None:
            self.in_background = False
            if self.current_day and abs((explicit.date - self.current_day[0]).days) > 1:
                self.current_place = None  # another day: the place in mind belonged to the other story
            self.current_day = (explicit.date, explicit.precision, explicit)
        if "other_incident" in kinds:
            self.current_place = None
        places = [p for p in self._within(self.places, s) if not (p.origin or p.qualifier or self._is_country(p))]
        if places and not background:
            specific = [p for p in places if not self._is_admin_only(p)]
            if specific:
                self.current_place = specific[-1]
        if is_title and live and not background:
            self.remember_title_roles(s, live)
        if background or is_title or not live or (self.in_background and explicit is None):
            return
        if "aggregate" in kinds:
            return
        self._make_drafts(s, live, places, explicit, sentence_sources, "anaphor" in kinds)

    def _nearest_day(self, day_times: list[TimeMention], live: list[Trigger]) -> TimeMention | None:
        """The day expression that dates the action: the one nearest its trigger, preferring the
        trigger's own clause ("أصدر ... الجمعة بيانا: فككت ... ليلة أمس")."""
        if not day_times:
            return None
        if not live:
            return day_times[0]
        anchor = live[0].start
        return min(day_times, key=lambda t: (not self._same_clause(t.start, anchor), abs(t.start - anchor)))

    def _is_frame(self, t: TimeMention) -> bool:
        """Periods, other years and month-only dates frame background, not an event day.
        "منذ مساء أمس" starts a recent range: its start is the event day."""
        pub = self.article.published
        if t.kind == "range_start" and t.precision < 3 and pub and 0 <= (pub - t.date).days <= RECENT_RANGE_DAYS:
            return False
        return t.background or t.other_year or t.precision == 3

    def _same_clause(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return not any(c in "،,;:" for c in self.text[lo:hi])

    def _has_bare_attribution(self, s: Sentence) -> bool:
        """Does the sentence open with an attribution verb ("وأضاف ...", "وأكدت ...")?"""
        first = bisect_left(self.token_starts, s.start)
        third_end = self.toks[min(first + 2, len(self.toks) - 1)][1] if self.toks else s.start
        return any(s.start <= a and b <= min(third_end, s.end) for a, b in self.verbs)

    def _is_caption(self, s: Sentence) -> bool:
        """A photo caption: a line that is not a sentence and ends with a credit, in parentheses
        ("... (أعماق)") or after a dash ("... ـ وسائل التواصل")."""
        a, b = self.nt.span(s.start, s.end)
        line = self.article.text[a:b].strip()
        if any(c in line.rstrip("\"'”»’") for c in ".؟!"):
            return False
        return bool(CAPTION_CREDIT.search(line))

    @staticmethod
    def _is_country(p: PlaceMention) -> bool:
        return bool(p.candidates) and not p.place_word and all(c.kind == "country" for c in p.candidates)

    def _is_admin_only(self, p: PlaceMention) -> bool:
        if p.is_admin:
            return True
        return bool(p.candidates) and not p.place_word and any(c.kind in ("admin1", "country") for c in p.candidates)

    # -- building drafts ---------------------------------------------------------------------------
    def _make_drafts(self, s: Sentence, live: list[Trigger], places: list[PlaceMention],
                     explicit: TimeMention | None, sources: list[SourceMention], anaphoric: bool) -> None:
        groups = _group_places_by_trigger(live, places, self._is_admin_only, self.text)
        for group_triggers, group_places in groups:
            combined = combine_types(group_triggers, self._victims_are_civilians(s))
            if combined is None:
                continue
            event_type, sub_type, rank, mode = combined
            if not group_places:
                inherited = self._inherited_place(s)
                if inherited is None:
                    continue
                group_places = [inherited]
                place_inherited = True
            else:
                place_inherited = False
            day, precision, time = self._event_day(explicit)
            if day is None or not self._plausible_day(day):
                continue
            date_how = "sentence" if explicit is not None else ("carried" if time is not None else "publication")
            # one figure for several places cannot be split among them
            count_kills = len({p.name.removeprefix("ال") for _, ps in groups for p in ps} | {
                p.name.removeprefix("ال") for p in group_places}) == 1
            for pm in group_places:
                resolved = resolve(pm, self.ctx, self._local_admin1(pm, s))
                draft = Draft(event_type, sub_type, rank, resolved, day, precision, explicit is not None,
                              [s], group_triggers, time, kill_only=bool(mode),
                              support_only=mode == "support", section=self.section, date_how=date_how,
                              place_how="carried" if place_inherited else "named", anaphoric=anaphoric)
                self._fill(draft, s, sources, count_kills)
                self._add(draft, inherited=place_inherited or explicit is None or anaphoric)

    def _armed_actor_in(self, s: Sentence) -> bool:
        """A killing is a conflict event only when someone armed is named (not a road accident)."""
        cat = catalog()
        return any(cat.actors[a.actor].inter in (1, 2, 3, 4, 8) for a in self._within(self.actors, s))

    def _victims_are_civilians(self, s: Sentence) -> bool:
        acts = self._within(self.actors, s)
        return any(a.actor == "CIVILIANS" for a in acts) and not any(
            catalog().actors[a.actor].inter in (1, 2, 3, 8) for a in acts if a.actor != "UNIDENTIFIED_ARMED_GROUP")

    def _inherited_place(self, s: Sentence) -> PlaceMention | None:
        if self.current_place is not None:
            return self.current_place
        admin = [p for p in self._within(self.places, s) if self._is_admin_only(p) and not self._is_country(p)]
        return admin[0] if admin else None

    def _local_admin1(self, pm: PlaceMention, s: Sentence) -> str | None:
        """Governorate named right after the place ("X بريف دير الزور"), else in the sentence."""
        later = [p for p in self.places if p.start >= pm.end and p.start - pm.end < 60 and p.candidates]
        country = self.ctx.country
        for p in later + [p for p in self._within(self.places, s) if p.candidates]:
            if p.direction and not p.is_admin:
                continue  # "مدينة التل شمالي دمشق": north of the city, not in its governorate
            admins = {c.admin1 for c in p.candidates if c.kind == "admin1" and c.admin1
                      and (country is None or c.country == country)}
            if len(admins) == 1:
                return next(iter(admins))
        return None

    def _sentence_actors(self, s: Sentence) -> list[ActorMention]:
        """Actors of the sentence, less those that only name a source ("المركز الإعلامي لقسد")."""
        long_sources = [m for m in self._within(self.sources, s) if m.kind != "actor"]
        return [a for a in self._within(self.actors, s)
                if not any(m.start <= a.start and a.end <= m.end for m in long_sources)]

    def _roles(self, s: Sentence, event_type: str, sub_type: str, actors: list[ActorMention],
               triggers: list[Trigger]) -> dict[str, object]:
        """Roles from the sentence; a sentence that names nobody takes the actors last named for
        the same kind of action ("الهجوم استهدف نقطة ..." after "هجوم شنه داعش على ...")."""
        roles = assign_roles(self.text, s, event_type, sub_type, actors, triggers)
        family = FAMILY.get(sub_type, sub_type)
        named = any(a.actor not in ("CIVILIANS",) for a in actors)
        roles["how"] = "named" if named else "default"
        if named and roles.get("actor1"):
            self.last_roles[family] = roles
        elif family in self.last_roles and event_type not in ("Protests", "Riots"):
            roles["how"] = "carried"
            remembered = self.last_roles[family]
            roles = dict(roles)
            for key in ("actor1", "actor2", "assoc_actor_1"):
                if remembered.get(key) and (not roles.get(key) or (key == "actor1" and roles[key] == "UNIDENTIFIED_ARMED_GROUP")):
                    roles[key] = remembered[key]
            if roles.get("actor2") == roles.get("actor1"):
                roles["actor2"] = None
        return roles

    def remember_title_roles(self, s: Sentence, live: list[Trigger]) -> None:
        combined = combine_types(live, self._victims_are_civilians(s))
        if combined:
            self._roles(s, combined[0], combined[1], self._sentence_actors(s), live)

    def _event_day(self, explicit: TimeMention | None) -> tuple[date | None, int, TimeMention | None]:
        if explicit is not None:
            return explicit.date, explicit.precision, explicit
        if self.current_day is not None:
            d, p, t = self.current_day
            return d, p, t
        if self.article.published is not None:
            return self.article.published, 2, None
        return None, 2, None

    def _plausible_day(self, day: date) -> bool:
        pub = self.article.published
        if pub is None:
            return True
        return pub - timedelta(days=MAX_EVENT_AGE_DAYS) <= day <= pub + timedelta(days=1)

    def _fill(self, d: Draft, s: Sentence, sources: list[SourceMention], count_kills: bool) -> None:
        d.actors = self._sentence_actors(s)
        d.roles = self._roles(s, d.event_type, d.sub_event_type, d.actors, d.triggers)
        d.sources = list(sources)
        key = sources[0].name if sources else (self.article.outlet or "article")
        kills = self._within(self.kills, s) if count_kills else []
        if self.frame_start is not None:
            kills = [k for k in kills if k.start < self.frame_start and not self._same_clause(k.start, self.frame_start)]
        if kills:
            d.kills.setdefault(key, []).extend(kills)

    def _add(self, new: Draft, inherited: bool) -> None:
        self._add_or_merge(new, inherited)
        if new.place.mention is not None and not self._is_admin_only(new.place.mention):
            self.current_place = new.place.mention  # "القرية" in what follows is this place

    def _add_or_merge(self, new: Draft, inherited: bool) -> None:
        for old in reversed(self.drafts):
            if old.place_key != new.place_key:
                continue
            same_day = old.day == new.day
            if new.explicit_date and not same_day and not new.anaphoric:
                continue  # the sentence dates itself to another day and does not refer back: another event
            near_day = old.day and new.day and abs((old.day - new.day).days) <= 1
            if not (same_day or (inherited and near_day) or (inherited and old.section == new.section)):
                continue
            kind = merged_type(old, new)
            if kind is None:
                continue
            self._merge(old, new, kind)
            return
        if new.support_only or (new.kill_only and not self._armed_actor_in(new.sentences[0])):
            return
        self.drafts.append(new)

    @staticmethod
    def _merge(old: Draft, new: Draft, kind: tuple[str, str, int]) -> None:
        old.event_type, old.sub_event_type, old.rank = kind
        old.kill_only = old.kill_only and new.kill_only
        old.sentences += [s for s in new.sentences if s not in old.sentences]
        old.triggers += new.triggers
        old.actors += new.actors
        for role, value in new.roles.items():
            if not old.roles.get(role) or (role == "actor1" and old.roles[role] == "UNIDENTIFIED_ARMED_GROUP"
                                           and value and new.roles.get("claimed")):
                old.roles[role] = value  # "وتبنى تنظيم الدولة التفجير": the claim names who acted
            elif isinstance(value, list):
                old.roles[role] = list(dict.fromkeys(list(old.roles[role]) + value))
        old.sources += [m for m in new.sources if m.name not in {x.name for x in old.sources}]
        for src, kills in new.kills.items():
            old.kills.setdefault(src, []).extend(k for k in kills if k not in old.kills.get(src, []))
        if not old.explicit_date and new.explicit_date:
            old.day, old.precision, old.time, old.explicit_date = new.day, new.precision, new.time, True

    @staticmethod
    def _vagueness(d: Draft) -> int:
        """0 for a named town; 1 for a town's countryside ("بريف القامشلي"); 2 for a governorate or wider."""
        p = d.place
        if p.geo_precision == 3 or (p.place is not None and p.place.kind in ("admin1", "admin2", "country")):
            return 2
        return 1 if p.mention.is_admin or p.mention.direction else 0

    def _absorb_vague(self) -> None:
        """An event placed only at a governorate or a countryside is dropped when the article
        names where the same kind of action happened that day (the lead summarises the story)."""
        kept: list[Draft] = []
        for d in self.drafts:
            vague = self._vagueness(d)
            if vague and any(
                    o is not d and self._vagueness(o) < vague and _same_kind(o, d)
                    and o.day and d.day and abs((o.day - d.day).days) <= 1
                    and (d.place.admin1 is None or o.place.admin1 in (None, d.place.admin1))
                    for o in self.drafts):
                continue
            kept.append(d)
        self.drafts = kept

    # -- output -----------------------------------------------------------------------------------
    def _span(self, start: int, end: int) -> list[int]:
        a, b = self.nt.span(start, end)
        return [a, b]

    def _to_event(self, d: Draft) -> Event:
        roles = dict(d.roles)
        if FAMILY.get(d.sub_event_type) == "territory" and d.sub_event_type != "Non-violent transfer of territory":
            # who took the ground decides: a state's forces regain it, anyone else overtakes it
            state = roles.get("actor1") and catalog().actors[roles["actor1"]].inter == 1
            d.sub_event_type = "Government regains territory" if state else "Non-state actor overtakes territory"
        if d.event_type in ("Protests", "Riots") and d.sub_event_type != "Mob violence":
            crowd = "RIOTERS" if d.event_type == "Riots" else "PROTESTERS"
            if roles.get("actor1") not in ("PROTESTERS", "RIOTERS"):
                roles["actor2"] = roles.get("actor1") if d.sub_event_type != "Peaceful protest" else None
            roles["actor1"], roles["how"] = crowd, "named"
        p = d.place
        evidence_spans = [self._span(s.start, s.end) for s in d.sentences]
        evidence = " ".join(self.article.text[a:b] for a, b in evidence_spans)
        fatalities, fat_span = _fatalities(d.kills)
        sources = list(dict.fromkeys(m.name for m in d.sources)) or ([self.article.outlet] if self.article.outlet else [])
        actor_spans: dict[str, list[list[int]]] = {}
        for a in d.actors:
            actor_spans.setdefault(a.actor, []).append(self._span(a.start, a.end))
        trig = _main_trigger(d)
        claims = [{"source": c.source, "fatalities": c.value, "span": self._span(c.start, c.end)}
                  for c in _claims(d.kills)]
        evidence_of = Evidence(
            date_how=d.date_how, precision=d.precision, place_how=d.place_how, place_kind=_place_kind(p),
            geo_precision=p.geo_precision, type_rank=d.rank, kill_only=d.kill_only, n_sentences=len(d.sentences),
            actor_how=str(roles.get("how") or "default"), actor1=roles.get("actor1"),
            claims=[c["fatalities"] for c in claims], vague_count=any(k.vague for ks in d.kills.values() for k in ks))
        field_conf, confidence = score_confidence(evidence_of)
        event = Event(
            event_date=d.day.isoformat() if d.day else None,
            time_precision=d.precision,
            event_type=d.event_type,
            sub_event_type=d.sub_event_type,
            actor1=roles.get("actor1"),
            assoc_actor_1=list(roles.get("assoc_actor_1") or []),
            actor2=roles.get("actor2"),
            assoc_actor_2=list(roles.get("assoc_actor_2") or []),
            country=p.country,
            admin1=p.admin1,
            admin2=p.admin2,
            admin3=p.admin3,
            admin1_ar=p.admin1_ar if p.admin1 else None,
            admin2_ar=p.admin2_ar,
            admin3_ar=p.admin3_ar,
            pcode=p.pcode,
            geonameid=p.geonameid,
            coord_source=p.coord_source,
            location=p.name_en,
            location_ar=self.nt.original_text(*(p.mention.named_at or (p.mention.start, p.mention.end))) if p.mention else p.name_ar,
            latitude=p.latitude,
            longitude=p.longitude,
            geo_precision=p.geo_precision,
            fatalities=fatalities,
            sources=sources,
            evidence=evidence,
            evidence_spans=evidence_spans,
            trigger=self.nt.original_text(trig.start, trig.end) if trig else None,
            trigger_span=self._span(trig.start, trig.end) if trig else None,
            date_text=self.nt.original_text(d.time.start, d.time.end) if d.time else None,
            date_span=self._span(d.time.start, d.time.end) if d.time else None,
            location_span=self._span(*(p.mention.named_at or (p.mention.start, p.mention.end))) if p.mention else None,
            actor_spans=actor_spans,
            fatalities_span=self._span(*fat_span) if fat_span else None,
            source_spans=[self._span(m.start, m.end) for m in d.sources],
            claims=claims,
            confidence=confidence,
            field_confidence=field_conf,
            rule=_rule(d, trig, self.nt),
            field_sources=describe_evidence(evidence_of),
        )
        event.notes = english_note(event)
        return event


def _main_trigger(d: Draft) -> Trigger | None:
    """The trigger that set the event's sub-type (or the strongest one)."""
    if not d.triggers:
        return None
    own = [t for t in d.triggers if t.sense.sub_event_type == d.sub_event_type and t.sense.role == "event"]
    return min(own or d.triggers, key=lambda t: t.sense.rank)


def _rule(d: Draft, trig: Trigger | None, nt: NormalizedText) -> str:
    if trig is None:
        return d.sub_event_type
    word = nt.original_text(trig.start, trig.end)
    parts = [f"trigger «{word}» matches «{trig.sense.pattern}» → {trig.sense.event_type} / {trig.sense.sub_event_type}"]
    if trig.sense.sub_event_type != d.sub_event_type:
        parts.append(f"combined with the other words of the incident → {d.sub_event_type}")
    if d.kill_only:
        parts.append("a killing reported without another action word: coded by who was killed")
    if len(d.sentences) > 1:
        parts.append(f"{len(d.sentences)} sentences about the same place and day merged")
    return "; ".join(parts)


def _place_kind(p: ResolvedPlace) -> str:
    if p.place is None:
        return "unlisted"
    return p.place.kind


@dataclass(frozen=True)
class _Claim:
    source: str
    value: int
    start: int
    end: int


def _claims(kills: dict[str, list[KillCount]]) -> list[_Claim]:
    """Each source's figure (the highest of its statements; one sentence's statements add up)."""
    out = []
    for source, counts in kills.items():
        by_sentence: dict[int, list[KillCount]] = {}
        for k in counts:
            by_sentence.setdefault(k.sentence_key, []).append(k)
        value, ks = max(((sum(k.value for k in ks), ks) for ks in by_sentence.values()), key=lambda x: x[0])
        if value > 0:
            out.append(_Claim(source, value, ks[0].start, ks[-1].end))
    return out


def _same_kind(a: Draft, b: Draft) -> bool:
    """Could a summary of ``b`` be about ``a``? (remote weapons must agree on the weapon)"""
    fam = FAMILY.get(a.sub_event_type)
    return a.sub_event_type == b.sub_event_type or (fam not in (None, "remote") and fam == FAMILY.get(b.sub_event_type))


def _fatalities(kills: dict[str, list[KillCount]]) -> tuple[int, tuple[int, int] | None]:
    """EVENTS.md: where reports differ, the lowest credible figure."""
    claims = _claims(kills)
    if not claims:
        return 0, None
    low = min(claims, key=lambda c: c.value)
    return low.value, (low.start, low.end)


def _group_places_by_trigger(triggers: list[Trigger], places: list[PlaceMention], is_admin_only, text: str
                             ) -> list[tuple[list[Trigger], list[PlaceMention]]]:
    """Split one sentence into (triggers, places) groups: each place goes to the nearest trigger
    before it (or after it when none precedes); triggers without places join the nearest group."""
    if not places:
        return [(triggers, [])]
    assigned: dict[int, list[PlaceMention]] = {}
    leading: list[PlaceMention] = []
    for p in places:
        before = [i for i, t in enumerate(triggers) if t.end <= p.start]
        if before:
            assigned.setdefault(before[-1], []).append(p)
        else:
            leading.append(p)
    # In Arabic the action's place follows its verb; a place named before the first trigger
    # ("مدير بلدة X قال إن الطائرات قصفت قرية Y") counts only when the trigger has none after it.
    if leading and 0 not in assigned:
        assigned[0] = leading
    owners = sorted(assigned)
    members: dict[int, list[Trigger]] = {o: [] for o in owners}
    for i, t in enumerate(triggers):
        # a trigger without places of its own acts at the places of the next trigger that has
        # some ("استهدفت بأربع قذائف ... جنوب بلدة X"), or else at the previous one's
        later = [o for o in owners if o >= i]
        members[later[0] if later else max(o for o in owners if o < i)].append(t)
    groups: list[tuple[list[Trigger], list[PlaceMention]]] = [
        (members[o], _event_places(assigned[o], is_admin_only, text)) for o in owners]
    # a group whose places are only governorates gives way to groups with specific places
    if any(any(not is_admin_only(p) for p in ps) for _, ps in groups):
        for i, (ts, ps) in enumerate(groups):
            if ps and all(is_admin_only(p) for p in ps):
                groups[i] = (ts, [])
        merged: list[tuple[list[Trigger], list[PlaceMention]]] = []
        for ts, ps in groups:
            if not ps and merged:
                merged[-1][0].extend(ts)
            else:
                merged.append((list(ts), ps))
        if merged and not merged[0][1] and len(merged) > 1:
            merged[1] = (merged[0][0] + merged[1][0], merged[1][1])
            merged = merged[1:]
        groups = merged
    return groups


NEXT_TO = ("قرب", "القرب")   # "قرب بلدة Y", "بالقرب من Y": beside, as opposed to أطراف / محيط (the outskirts of)


def _right_after(first: PlaceMention, then: PlaceMention, text: str) -> bool:
    """``then`` is "قرب Y" right after ``first`` in the same clause, not a second place joined by و."""
    gap = text[first.end:then.start].split()
    return (len(gap) <= 3 and not any(c in " ".join(gap) for c in ".،,;:\n")
            and not any(g.startswith("و") for g in gap) and any(g.lstrip("ب") in NEXT_TO for g in gap))


def _is_region(p: PlaceMention) -> bool:
    """A mountain, plain or named area rather than a settlement (GeoNames feature codes)."""
    return bool(p.candidates) and all(c.kind == "city" and c.feature in REGION_FEATURES for c in p.candidates)


REGION_FEATURES = frozenset({"AREA", "RGN", "MT", "MTS", "PLN", "HLL", "HLLS", "VAL"})


def _inside(small: PlaceMention, big: PlaceMention, text: str, region: bool = False) -> bool:
    """An area named just before "في بلدة Y" that lies inside Y: unknown to the gazetteer, or
    known only to Y's subdistrict, or within 5 km of Y. With ``region``, any place named just
    before "في <region>" is inside it."""
    between = text[small.end:big.start].split()
    if not (big.candidates and big.place_word is not None and 0 < len(between) <= 3 and "في" in between):
        return False
    if region:
        return True
    if _is_region(big):
        return False  # a village "في جبل الأكراد" is coded at the village, not the region
    return not small.candidates or any(
        c.country_code == b.country_code and (
            (c.geo_precision > 1 and c.admin3 is not None and c.admin3 == b.admin3)
            or km_between(c.latitude, c.longitude, b.latitude, b.longitude) <= 5)
        for c in small.candidates for b in big.candidates if b.kind == "city")


def _event_places(places: list[PlaceMention], is_admin_only, text: str) -> list[PlaceMention]:
    """The places an action happened at: specific places first; a place that only orients the
    one before it ("X شرقي Y", "X بريف Y") is left out."""
    specific = [p for p in places if not is_admin_only(p)]
    if not specific:
        return places[:1]
    # A named spot beats a road to a place, which beats the countryside of a town.
    exact = [p for p in specific if not (p.road or p.direction)]
    if not exact:
        roads = [p for p in specific if p.road]
        return (roads or specific)[:1]
    out: list[PlaceMention] = []
    for p in exact:
        if out and p.near and _right_after(out[-1], p, text):
            continue  # "بمحيط القرية قرب بلدة Y": Y only tells where the place is
        if out and _is_region(p) and _inside(out[-1], p, text, region=True):
            continue  # "محور الكبينة في جبل الأكراد": the region only tells where the village is
        if out and _inside(out[-1], p, text):
            out.pop()  # "في منطقة الحفاير، في بلدة خان أرنبة": the area lies in the town
        elif out and p.direction and out[-1].place_word in NEIGHBOURHOOD_WORDS and p.start - out[-1].end < 30:
            out[-1] = p  # "حي الأمل بمدينة خان يونس": coded at the town
            continue
        out.append(p)
    return out
