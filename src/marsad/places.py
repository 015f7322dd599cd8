"""Place mentions and their resolution to gazetteer places.

Mentions come from two recognisers: names the gazetteer knows (clitic-aware dictionary
match) and names that follow a settlement word ("قرية الزر", "بلدتي الحارة ونمر") even when
the gazetteer lacks them. Each mention records the words around it that matter to a coder:
near / direction (geo_precision 2), origin ("من أبناء قرية X": not where it happened),
qualifier ("من جهة قرية X": orients only) and admin ("ريف إدلب", "محافظة حماة").
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import Gazetteer, Place, km_between
from .lexicon import Match, PhraseMatcher, read_tsv
from .text import Tokens, normalize, strip_clitics


@dataclass
class PlaceMention:
    start: int  # normalised offsets of the name (place word and clitics excluded)
    end: int
    name: str  # normalised name
    candidates: list[Place]
    place_word: str | None = None  # "قرية", "ريف", "محافظة" ... that precedes the name
    word_kind: str | None = None  # settlement / settlement_plural / admin
    near: bool = False
    road: bool = False  # "على طريق X": the event is on a road that leads to X
    within_word: bool = False  # introduced by "بمنطقة"/"ببلدة" (in the area of)
    direction: bool = False
    origin: bool = False
    qualifier: bool = False
    city_outskirts: bool = False  # "ريف إدلب ... أطراف المدينة": the outskirts of the city X itself
    named_at: tuple[int, int] | None = None  # "بمحيط القرية": where the village's name is written

    @property
    def is_admin(self) -> bool:
        return self.word_kind == "admin"


@dataclass
class ResolvedPlace:
    name_ar: str
    name_en: str
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int
    place: Place | None
    mention: PlaceMention
    stand_in: Place | None = None  # for a place the gazetteer lacks: the unit whose position is used

    # Derived from the gazetteer record (or the stand-in unit):
    @property
    def admin1_ar(self) -> str | None:
        src = self.place or self.stand_in
        return src.admin1_ar if src is not None else None

    @property
    def admin2_ar(self) -> str | None:
        return self.place.admin2_ar if self.place else None

    @property
    def admin3_ar(self) -> str | None:
        return self.place.admin3_ar if self.place else None

    @property
    def pcode(self) -> str | None:
        return self.place.pcode if self.place else None

    @property
    def geonameid(self) -> int | None:
        return self.place.geonameid if self.place else None

    @property
    def coord_source(self) -> str | None:
        if self.place is not None:
            return self.place.coord_source
        if self.stand_in is not None:
            return f"centroid of {self.stand_in.name_en} (the place is not in the gazetteer)"
        return None


@dataclass(frozen=True)
class _PlaceWords:
    words: PhraseMatcher[str]
    heads: frozenset[str]
    stop: frozenset[str]
    locatives: frozenset[str]
    common: frozenset[str]
    place_word_set: frozenset[str]
    countryside: frozenset[str]
    prefers: dict[str, frozenset[str]]  # place word -> kinds / feature codes its names usually have
    kinds: dict[str, str]  # place word -> its kind (settlement, near ...)


@lru_cache(maxsize=1)
def _place_words() -> _PlaceWords:
    rows = [(normalize(r["word"]), r["kind"], r.get("prefers") or "") for r in read_tsv("place_words.tsv")]
    words = PhraseMatcher((w, kind) for w, kind, _ in rows)
    heads = frozenset(normalize(r["word"]) for r in read_tsv("place_name_heads.tsv"))
    stop = frozenset(normalize(r["word"]) for r in read_tsv("place_stopwords.tsv"))
    locatives = frozenset(normalize(r["word"]) for r in read_tsv("place_locatives.tsv"))
    common = frozenset(normalize(r["word"]) for r in read_tsv("place_common_words.tsv"))
    adjectives = frozenset(k for k, _ in Gazetteer.load().country_adjectives())
    countryside = frozenset(normalize(w) for w in ("ريف", "ريفي", "الريف"))
    prefers = {w: frozenset(x for x in pref.split("|") if x) for w, _, pref in rows if pref}
    kinds = {w: kind for w, kind, _ in rows}
    return _PlaceWords(words, heads, stop | adjectives, locatives, common, frozenset(kinds), countryside, prefers, kinds)


def _name_matcher() -> PhraseMatcher[str]:
    """The automaton of every gazetteer name (built with the index and stored in its file)."""
    return Gazetteer.load().name_matcher()


def find_places(text: str, blocked: list[tuple[int, int]] = (), dateline: int | None = None,
                toks: list[tuple[int, int]] | None = None) -> list[PlaceMention]:
    """Place mentions in normalised text, in order, without overlaps.

    ``blocked`` spans (actor names such as التحالف) are never places. A name the gazetteer
    knows but that no place word introduces must stand where a place stands: after a
    locative preposition or ب-, in a list after another place, or be an administrative unit.
    ``dateline``: where the dateline ends (``dateline_end(text)`` when not given); ``toks``:
    ``tokens(text)``, when the caller has them.
    """
    words = Tokens(text, toks)
    gaz = Gazetteer.load()
    pw = _place_words()
    word_matches = pw.words.find_all(text)
    mentions: dict[tuple[int, int], PlaceMention] = {}
    known = _name_matcher().find_all(text)
    longer = {m.start: m.end for m in known}
    # 1. Names after settlement words, known to the gazetteer or not.
    for wm in word_matches:
        kind = wm.value[0]
        if kind not in ("settlement", "settlement_plural", "settlement_head", "admin"):
            continue
        if text[wm.token_start:wm.start].endswith(("لل", "ال")):
            continue  # "للمدينة", "بالقرية": the town already named, not a name to come
        for s, e in _names_after(words, wm.end, plural=kind == "settlement_plural",
                                 head=kind == "settlement_head", keyword=wm.key):
            name = text[s:e]
            whole = f"{wm.key} {name}"
            if wm.key in pw.countryside and [c for c in gaz.lookup(whole) if c.kind == "admin1"]:
                # "ريف دمشق" is a governorate's own name (Rif Dimashq), not the countryside of Damascus
                mentions[(wm.start, e)] = PlaceMention(wm.start, e, whole, [c for c in gaz.lookup(whole) if c.kind == "admin1"])
                continue
            if longer.get(s, e) > e and not _punct_between(text, e, longer[s]):
                e = longer[s]   # "بلدتي المسيفرة والكرك الشرقي": the gazetteer knows the longer name
                name = text[s:e]
            mentions[(s, e)] = PlaceMention(s, e, name, _lookup(gaz, name))
    # 2. Names the gazetteer knows, wherever they stand.
    word_spans = [(w.start, w.end) for w in word_matches]
    # Names this article introduced with a place word ("مدينة الشحيل") are places elsewhere in it too.
    local = PhraseMatcher((p.name, p.name) for p in mentions.values() if not p.candidates)
    _add_bare_names(text, local.find_all(text), mentions, list(blocked) + word_spans, gaz, None)
    # Bare names must belong to the country the article is about (as far as units and
    # place-word names tell), so that ordinary words that are also towns abroad stay words.
    dateline = dateline_end(text) if dateline is None else dateline
    in_dateline = [PlaceMention(m.start, m.end, m.key, _lookup(gaz, m.key)) for m in known if m.end <= dateline]
    pre = article_context([p for p in mentions.values()] + _unit_mentions(known, blocked, gaz) + in_dateline, dateline)
    _add_bare_names(text, known, mentions, list(blocked) + word_spans, gaz, set(pre.country_votes) or None,
                    qualifiers=[w for w in word_matches if w.value[0] in ("admin", "direction")],
                    admin1s=set(pre.admin1_votes), dateline=dateline)
    out = sorted(mentions.values(), key=lambda p: p.start)
    for p in out:
        _mark_context(text, p, word_matches)
        if p.is_admin and p.place_word in pw.countryside:
            p.city_outskirts = _city_anaphor_after(text, p.end)
    for prev, p in zip(out, out[1:]):
        gap = text[prev.end:p.start]
        if p.within_word and len(gap.split()) <= 2 and not any(c in gap for c in ".،,;:\n"):
            p.direction = True  # "قرية X بمنطقة Y": Y is the area X lies in
    return sorted(out + _settlement_anaphors(words, out, word_matches), key=lambda p: p.start)


def _settlement_anaphors(words: Tokens, found: list[PlaceMention], word_matches) -> list[PlaceMention]:
    """"بمحيط القرية", "أطراف البلدة": a near word then a definite settlement word with no name
    after it point back at the last place named with that word ("من سكان قرية كشكول ... بمحيط
    القرية"), even one named as someone's origin. The mention made is that place, near."""
    text = words.text
    settlement = {k for k, kind in _place_words().kinds.items() if kind == "settlement"}
    out: list[PlaceMention] = []
    for n in word_matches:
        if n.value[0] != "near":
            continue
        toks = words.within(n.end, min(len(text), n.end + 30))[:1]
        if not toks or any(c in text[n.end:toks[0][0]] for c in ".،,:\n"):
            continue
        s, e = toks[0]
        word = text[s:e]
        noun = next((word[len(a):] for a in ("لل", "بال", "ال") if word.startswith(a)), None)
        if noun not in settlement:
            continue
        antecedent = next((p for p in reversed(found) if p.end <= s and p.place_word == noun
                           and noun in text[max(0, p.start - len(noun) - 3):p.start]), None)  # "قرية X"
        if antecedent is None or any(s <= p.start < e + 3 for p in found):
            continue
        out.append(PlaceMention(s, e, antecedent.name, antecedent.candidates, place_word=noun,
                                word_kind="settlement", near=True, named_at=(antecedent.start, antecedent.end)))
    return out


@lru_cache(maxsize=1)
def _outskirts_of_the_city() -> re.Pattern[str]:
    """"أطراف المدينة", "الأطراف الغربية للمدينة", "محيط المدينة" ...: near words of place_words.tsv
    (with or without the article), at most one word, then "the city"."""
    near = sorted((w for w, kind in _place_words().kinds.items() if kind == "near"), key=len, reverse=True)
    words = "|".join(re.escape(w.removeprefix("ال")) for w in near if " " not in w)
    return re.compile(rf"(?<!\S)(?:ال)?(?:{words})\s+(?:\S+\s+)?(?:لل|بال|ال)مدينه(?!\S)")


def _city_anaphor_after(text: str, pos: int) -> bool:
    """After "ريف X": does the same sentence place the action at the outskirts of "the city",
    i.e. of the town X itself rather than anywhere in X's countryside?"""
    end = min([i for i in (text.find(".", pos), text.find("\n", pos)) if i != -1] or [len(text)])
    return _outskirts_of_the_city().search(text, pos, end) is not None


def _unit_mentions(matches: list[Match[list[str]]], blocked, gaz: Gazetteer) -> list[PlaceMention]:
    """Administrative units and countries among the gazetteer names found (for the article's country)."""
    out = []
    for m in matches:
        if any(not (m.end <= s or m.start >= e) for (s, e) in blocked):
            continue
        units = [c for c in _lookup(gaz, m.key) if c.kind in ("admin1", "admin2", "country")]
        if units and not _is_common(gaz, m.key):
            out.append(PlaceMention(m.start, m.end, m.key, units))
    return out


def _is_common(gaz: Gazetteer, key: str) -> bool:
    return gaz.is_common_word(key) or key in _place_words().common or key.removeprefix("ال") in _place_words().common


def _add_bare_names(text: str, matches: list[Match[list[str]]], mentions: dict, blocked: list, gaz: Gazetteer,
                    countries: set[str] | None, qualifiers: list[Match] = (), admin1s: set[str] = frozenset(),
                    dateline: int = 0) -> None:
    """Names without a place word. One that is also an ordinary word (الباب، التل، الميادين)
    must moreover be followed by a governorate or direction ("في الباب شرقي حلب") or be a town of
    the governorate the article is about."""
    for m in matches:
        span = (m.start, m.end)
        if any(not (m.end <= s or m.start >= e) for (s, e) in list(mentions) + blocked):
            continue
        candidates = _lookup(gaz, m.key)
        if countries is not None:
            candidates = [c for c in candidates if c.country in countries or c.kind == "country"]
            if not candidates:
                continue
        locative = _locative_before(text, m.token_start, m.start, mentions)
        in_dateline = m.end <= dateline and not locative
        if not (in_dateline or locative):
            continue
        if _is_common(gaz, m.key):
            qualified = any(0 <= q.token_start - m.end <= 2 for q in qualifiers)
            local = [c for c in candidates if c.kind == "city" and c.admin1 in admin1s]
            if not (qualified or local):
                continue
            if local and not qualified:
                candidates = local
        # the dateline says where the report was filed: context for the article, not an event's place
        mentions[span] = PlaceMention(m.start, m.end, m.key, candidates, qualifier=in_dateline)


def _locative_before(text: str, token_start: int, start: int, found: dict) -> bool:
    """Does the word before a name make it a place ("في X", "بـX", "قرب X", "X وY")?"""
    clitics = text[token_start:start]
    if "ب" in clitics:
        return True
    before = text[max(0, token_start - 25):token_start].split()
    if not before:
        return False
    prev = before[-1]
    if prev in _place_words().locatives or _place_words().kinds.get(prev) == "direction":
        return True  # "في X", "غرب خان يونس"
    if clitics.startswith("و") and any(e <= token_start and token_start - e < 3 for (_, e) in found):
        return True
    return False


def _lookup(gaz: Gazetteer, name: str) -> list[Place]:
    found = list(gaz.lookup(name))
    if not found and not name.startswith("ال"):
        found = list(gaz.lookup("ال" + name))
    return found


def _names_after(words: Tokens, pos: int, *, plural: bool, head: bool, keyword: str) -> list[tuple[int, int]]:
    """Names that follow a place word at ``pos``: one, or a list joined by و for a plural word."""
    pw = _place_words()
    text = words.text
    toks = words.within(pos, min(len(text), pos + 160))
    names: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        s, e = toks[i]
        gap = text[(names[-1][1] if names else pos):s]
        if any(c in gap for c in ".،,:;()\n!?؟-"):
            break
        word = text[s:e]
        if names:  # continuing a list: the next name is attached with و
            if not word.startswith("و") or len(word) < 3 or _is_stop(word) or word[1:] in pw.place_word_set:
                break
            s += 1
            word = word[1:]
        if _is_stop(word) or not _is_name_word(word):
            break
        end = e
        j = i + 1
        if j < len(toks) and not _punct_between(text, e, toks[j][0]):
            after = toks[j + 1] if j + 1 < len(toks) else None
            if _continues_name(text, word, toks[j], after, head=head or word in pw.heads):
                end = toks[j][1]
                j += 1
        names.append((s, end))
        if not plural:
            break
        i = j
    if head and names:  # "جبل الزاوية": the head word is part of the name
        names[0] = (pos - len(keyword), names[0][1]) if text[pos - len(keyword):pos] == keyword else names[0]
    return names


@lru_cache(maxsize=1 << 14)
def _is_stop(word: str) -> bool:
    """A word that cannot be (part of) a name: a stop word, also with clitics or a pronoun suffix."""
    stop = _place_words().stop
    if word in stop:
        return True
    for form in strip_clitics(word)[1:]:
        if form in stop or any(form.startswith(w) and len(form) - len(w) <= 2 for w in stop if len(w) >= 3):
            return True
    return False


def _punct_between(text: str, a: int, b: int) -> bool:
    return any(not c.isspace() or c == "\n" for c in text[a:b])


def _is_name_word(word: str) -> bool:
    return len(word) >= 2 and any("\u0621" <= c <= "\u064a" for c in word) and not word.isdigit()


def _continues_name(text: str, first: str, nxt_tok: tuple[int, int], after: tuple[int, int] | None,
                    *, head: bool) -> bool:
    pw = _place_words()
    nxt = text[nxt_tok[0]:nxt_tok[1]]
    if _is_stop(nxt) or not _is_name_word(nxt) or nxt.startswith("و") and not head:
        return False
    if head:
        return True
    if nxt.startswith("ال"):
        return True
    if first.startswith("ال"):
        return False
    # "ناعور شطحة بمنطقة ...": a second bare word is part of the name when a place word or
    # a break follows it; otherwise it is likely the next word of the sentence ("مدينة جبلة أسفرت").
    if _looks_like_verb(nxt):
        return False
    if after is None:
        return True
    follow = text[after[0]:after[1]]
    return _punct_between(text, nxt_tok[1], after[0]) or follow in pw.stop or any(
        f in pw.place_word_set for f in strip_clitics(follow))


def _looks_like_verb(word: str) -> bool:
    """Past-tense verbs that follow a town's name ("مدينة جبلة أسفرت"): أفعلت / افتعلت forms."""
    return len(word) >= 4 and word[0] == "ا" and word.endswith(("ت", "وا"))


def _mark_context(text: str, p: PlaceMention, word_matches) -> None:
    """Set the mention's flags from the place words just before it (up to ~4 words back)."""
    window_start = max(0, p.start - 40)
    before = [w for w in word_matches if window_start <= w.start and w.end <= p.start]
    # only words in the same clause
    for w in reversed(before):
        between = text[w.end:p.start]
        if any(c in between for c in ".،,;:\n"):
            break
        n_between = len(between.split())
        kind = w.value[0]
        if kind in ("settlement", "settlement_plural", "admin", "settlement_head") and p.place_word is None and n_between <= 6:
            p.place_word, p.word_kind = w.key, ("admin" if kind == "admin" else "settlement")
            p.within_word = "ب" in text[w.token_start:w.start] and n_between == 0
        elif kind == "admin" and n_between <= 3 and w.key.endswith(("ريف", "ريفي")):
            p.direction = True  # "الريف الجنوبي لمدينة منبج": the countryside of the town
        elif kind == "near" and n_between <= 3:
            p.near = True
        elif kind == "road" and n_between <= 4:
            p.near = p.road = True
        elif kind == "direction" and n_between <= 2:
            p.direction = True
        elif kind == "origin" and n_between <= 3:
            p.origin = True
        elif kind == "qualifier" and n_between <= 3:
            p.qualifier = True


# ---------------------------------------------------------------------------------------------
# Resolution: choose a candidate using the article's country and governorate context.

@dataclass
class PlaceContext:
    country_votes: Counter = field(default_factory=Counter)
    admin1_votes: Counter = field(default_factory=Counter)
    country_codes: dict[str, str] = field(default_factory=dict)  # English name -> ISO2
    # Positions of the places the article names without ambiguity (for choosing among namesakes).
    anchors: list[tuple[str, float, float]] = field(default_factory=list)  # (name, lat, lon)

    @property
    def country(self) -> str | None:
        return self.country_votes.most_common(1)[0][0] if self.country_votes else None

    @property
    def country_code(self) -> str | None:
        return self.country_codes.get(self.country or "")

    @property
    def admin1(self) -> str | None:
        return self.admin1_votes.most_common(1)[0][0] if self.admin1_votes else None


_DATELINE = re.compile(r"\A\s*([^\n.،:()\-–—]{2,40}?)\s*(?:[-–—:]|\()")


def dateline_end(text: str) -> int:
    """End of the article's dateline ("دير الزور - عنب بلدي", "بغداد (رويترز)"): the place
    an agency report is filed from, which tells its country and governorate. 0 when none."""
    m = _DATELINE.match(text)
    if m is None or len(m.group(1).split()) > 4:
        return 0
    return m.end(1)


def article_context(mentions: list[PlaceMention], dateline: int = 0) -> PlaceContext:
    """Country and governorate of the article, voted by unambiguous and admin mentions; places
    in the dateline (before ``dateline``) count most. Unambiguous towns become anchors."""
    ctx = PlaceContext()
    for p in mentions:
        if p.origin or p.qualifier and not p.candidates:
            continue
        countries = {c.country for c in p.candidates}
        ctx.country_codes.update({c.country: c.country_code for c in p.candidates})
        weight = 3 if any(c.kind in ("admin1", "country") for c in p.candidates) else 1
        if p.start < dateline:
            weight += 4
        if len(countries) == 1:
            ctx.country_votes[next(iter(countries))] += weight
        admins = {c.admin1 for c in p.candidates if c.admin1}
        if len(admins) == 1:
            ctx.admin1_votes[next(iter(admins))] += weight
        towns = [c for c in p.candidates if c.kind == "city"]
        if len(towns) == 1 and len(countries) == 1 and towns[0].geo_precision == 1:
            ctx.anchors.append((p.name, towns[0].latitude, towns[0].longitude))
    return ctx


def resolve(p: PlaceMention, ctx: PlaceContext, local_admin1: str | None = None) -> ResolvedPlace:
    """The gazetteer place a coder would pick for a mention, or a named place the gazetteer lacks."""
    best = _best_candidate(p, ctx, local_admin1)
    if p.city_outskirts:
        towns = [c for c in p.candidates if c.kind == "city" and (best is None or c.country_code == best.country_code)]
        if towns:
            return _resolved(max(towns, key=lambda c: c.population), p, 2)
    if best is not None and local_admin1 and best.admin1 != local_admin1 and best.kind == "city":
        best = None  # "قرية الحميدية بريف القنيطرة": not the Hamidiyah of another governorate
    own_vote = ((3 if any(c.kind in ("admin1", "country") for c in p.candidates) else 1)
                if len({c.country for c in p.candidates}) == 1 else 0)   # what this mention itself voted
    country = ctx.country
    if best is not None and country and best.country != country and ctx.country_votes.get(best.country, 0) <= own_vote:
        best = None  # "حي الأمل" in a Gaza story: not a namesake in a country the article never names
    precision = 2 if (p.near or p.direction) else 1
    if best is not None:
        if best.kind in ("admin1", "admin2", "country"):
            precision = 3
        elif best.kind == "admin3":
            precision = max(precision, 2)
        return _resolved(best, p, max(precision, best.geo_precision))
    # Not in the gazetteer: keep the name, take admin1 from context and that unit's coordinates.
    admin1 = local_admin1 or ctx.admin1
    unit = Gazetteer.load().admin1_place(ctx.country_code, admin1) if admin1 and ctx.country_code else None
    return ResolvedPlace(p.name, transliterate(p.name), country or (unit.country if unit else None), admin1, None,
                         None, unit.latitude if unit else None, unit.longitude if unit else None, 2, None, p, unit)


def _resolved(best: Place, p: PlaceMention, precision: int) -> ResolvedPlace:
    return ResolvedPlace(best.name_ar, best.name_en, best.country, best.admin1 if best.kind != "country" else None,
                         best.admin2, best.admin3, best.latitude, best.longitude, precision, best, p)


def _best_candidate(p: PlaceMention, ctx: PlaceContext, local_admin1: str | None) -> Place | None:
    """Rank namesakes as a coder would: the article's country and governorate, the kind the
    place word asks for (ناحية: subdistrict, مخيم: camp ...), nearness to the other places the
    article names, then population."""
    if not p.candidates:
        return None
    prefers = _place_words().prefers.get(p.place_word or "", frozenset())
    anchors = [(lat, lon) for name, lat, lon in ctx.anchors if name != p.name]
    if sum(c.kind == "city" for c in p.candidates) < 2:
        anchors = []  # nearness tells namesake towns apart; it does not choose a town over a unit
    country, admin1 = ctx.country, ctx.admin1

    def score(c: Place) -> float:
        s = 0.0
        if country and c.country == country:
            s += 5
        if local_admin1 and c.admin1 == local_admin1:
            s += 4
        elif admin1 and c.admin1 == admin1:
            s += 2
        if p.is_admin:
            s += 3 if c.kind == "admin1" else (1 if c.kind in ("admin2", "admin3") else 0)
        elif p.word_kind == "settlement":
            s += 2 if c.kind == "city" else (1 if c.kind == "admin3" else 0)
        else:
            s += {"admin1": 1.5, "city": 1.0}.get(c.kind, 0)
        if prefers and (c.kind in prefers or c.feature in prefers):
            s += 2.5
        if anchors and c.kind == "city":
            d = min(km_between(c.latitude, c.longitude, lat, lon) for lat, lon in anchors)
            s += 1.5 if d < 30 else (0.75 if d < 100 else 0)
        s += math.log10(max(c.population, 1)) / 10
        return s
    return max(p.candidates, key=score)


@lru_cache(maxsize=1)
def _translit_table() -> dict[str, str]:
    return {r["letter"]: r["latin"] for r in read_tsv("transliteration.tsv")}


FINAL_LETTERS = {"ه": "ah"}  # ta marbuta, normalised to ه
INITIAL_LETTERS = {"و": "w", "ي": "y", "ع": "a", "ء": "a"}


def transliterate(name_ar: str) -> str:
    """A readable Latin form for a name the gazetteer lacks (consonantal; vowels are not written in Arabic)."""
    table = _translit_table()
    words = []
    for w in normalize(name_ar).split():
        article = ""
        if w.startswith("ال") and len(w) > 3:
            article, w = "Al-", w[2:]
        latin = "".join(table.get(c, c) for c in w[:-1]) + (FINAL_LETTERS.get(w[-1]) or table.get(w[-1], w[-1]))
        latin = INITIAL_LETTERS.get(w[0], latin[:1]) + latin[1:] if w[0] in INITIAL_LETTERS else latin
        words.append(article + latin[:1].upper() + latin[1:])
    return " ".join(words)
