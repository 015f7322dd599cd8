"""Actor roles (EVENTS.md): actor1 acts, actor2 is acted upon, associates fight alongside.

Roles come from the words around each actor mention (data/role_markers.tsv): "بدعم من X" makes
X an associate, "نفذها X" / "من قبل X" an agent, "ضد X" / "حاجز لـ X" / "عناصر من X" a target.
Without markers, the first armed actor is taken to act and the next one to be acted upon.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .actors import ActorMention, catalog
from .lexicon import read_tsv
from .numbers import is_person_noun, number_lexicon
from .text import Sentence, normalize
from .triggers import Trigger

LANDMINE_WORDS = ("لغم", "الغام", "مخلفات")
FOREIGN_SUPPORT = {"COALITION"}  # forces coded as associates of the local force they fly for
NON_ARMED = {"CIVILIANS", "PROTESTERS", "RIOTERS"}
NOT_PARTIES = {"AANES"}


@dataclass(frozen=True)
class _Markers:
    before: dict[str, str]  # normalised phrase that stands before an actor -> role
    max_words: int


@lru_cache(maxsize=1)
def _markers() -> _Markers:
    before = {normalize(r["phrase"]): r["role"] for r in read_tsv("role_markers.tsv")}
    return _Markers(before, max(len(k.split()) for k in before))


FORCE_WORDS = ("قوات", "لقوات", "وقوات", "القوات", "للقوات", "والقوات", "ميليشيا", "مليشيا", "ميليشيات",
               "لميليشيا", "عناصر", "وعناصر", "لعناصر")
ATTACK_NOUNS = ("هجوم", "بهجوم", "قصف", "بقصف", "غاره", "بغاره", "استهداف", "باستهداف", "هجمات", "بهجمات")
AFFILIATION_WORDS = ("تابعه", "تابع", "تابعتين", "تابعين", "تابعان", "تابعتان", "تابعون")
TARGET_NOUNS = ("حاجز", "نقط", "دوري", "مواقع", "موقع", "عناصر", "سيار", "مقر", "قاعد", "منزل", "مبنى", "رتل")
WEAPON_NOUNS = ("طائر", "مسير", "طيران", "قذيف", "صاروخ", "مدفع")


def _marker(text: str, a: ActorMention, sentence_start: int) -> str | None:
    """The role marker in the (up to 4) words before an actor mention, nearest first."""
    m = _markers()
    head = text[max(sentence_start, a.token_start - 40):a.token_start]
    clitic = text[a.token_start:a.start]
    if text.startswith("لل", a.start):
        clitic += "ل"  # "للحشد الشعبي": ل + الحشد
    words = head.replace('"', " ").replace("(", " ").replace(")", " ").split()
    if words and words[-1] in FORCE_WORDS:  # "لقوات قسد": the marker stands before the force noun
        clitic = words[-1][:len(words[-1]) - len(words[-1].lstrip("ول"))] or clitic
        words = words[:-1]
    if words and words[-1].removeprefix("ال") in AFFILIATION_WORDS and clitic.endswith("ل"):
        owners = [w.removeprefix("ال") for w in words[-4:-1]]
        if any(o.startswith(TARGET_NOUNS) for o in owners):
            return "owned"  # "حاجز تابع لـX", "دورية تابعة لـX": hit if attacked, acting if raiding
        return "agent" if any(o.startswith(WEAPON_NOUNS) for o in owners) else "affiliation"
    weapon = text[a.start:a.end].removeprefix("ال").startswith(WEAPON_NOUNS)
    if len(words) >= 2 and words[-1] == "من" and _counted(words[-3:-1]) and any(
            w.lstrip("وب").startswith(VICTIM_WORDS) for w in words[-5:-1]):
        return "target"  # "مقتل عنصرين من الأمن العام", "خمسة عناصر من قسد": those hit belong to X
    for n in range(1, min(len(words), m.max_words) + 1):
        phrase = " ".join(words[-n:])
        role = m.before.get(phrase) or (m.before.get(phrase[1:]) if phrase[:1] in "وف" else None)
        if role and not (weapon and role == "target" and not phrase.endswith(("ضد", "علي"))):
            return role
    if weapon:
        return "agent"  # a drone, a warplane, artillery of X: X is the one that strikes
    if clitic.endswith("ل") and words and words[-1] in ATTACK_NOUNS:
        return "agent"  # "بهجوم لمسلحين مجهولين": the attack of X
    if clitic in ("ل", "لل") and any(w.removeprefix("ال").startswith(TARGET_NOUNS) for w in words[-3:]):
        return "target"  # "نقطة أمنية مشتركة للحشد": the post of X was hit
    return None


VICTIM_WORDS = ("مقتل", "قتل", "اعتقال", "اعتقل", "اصابه", "اصيب", "جرح", "استشهاد", "اسر", "اختطاف", "خطف")


def _counted(words: list[str]) -> bool:
    """"عنصرين", "5 عناصر", "خمسة مقاتلين", "أربعة", "مقتل عناصر": people counted or hit."""
    numbers = number_lexicon().words
    if not words:
        return False
    last = words[-1]
    if is_person_noun(last) == "dual" or last.isdigit() or (last,) in numbers:
        return True
    if len(words) == 2 and is_person_noun(last):
        first = words[0].lstrip("وب")
        return first.isdigit() or (first,) in numbers or first.startswith(VICTIM_WORDS)
    return False


def _named_members(text: str, actors: list[ActorMention]) -> list[ActorMention]:
    """"مسلحان من تنظيم داعش": the gunmen are the named group's; keep the group, drop the gunmen."""
    out = []
    for i, a in enumerate(actors):
        nxt = actors[i + 1] if i + 1 < len(actors) else None
        if a.actor == "UNIDENTIFIED_ARMED_GROUP" and nxt and nxt.actor != a.actor:
            between = text[a.end:nxt.token_start].split()
            if between and between[0] == "من" and len(between) <= 3:
                continue
        out.append(a)
    return out


def assign_roles(text: str, s: Sentence, event_type: str, sub_type: str, actors: list[ActorMention],
                 triggers: list[Trigger]) -> dict[str, object]:
    cat = catalog()
    actors = _named_members(text, actors)
    mentions = [(a, _marker(text, a, s.start)) for a in actors if a.actor not in NOT_PARTIES]
    violent = event_type in ("Battles", "Explosions/Remote violence")
    mentions = [(a, ("target" if violent else "agent") if r == "owned" else r) for a, r in mentions]
    mentions = [(a, r) for a, r in mentions if r != "affiliation"]
    if event_type in ("Protests", "Riots"):
        crowd = "RIOTERS" if event_type == "Riots" else "PROTESTERS"
        force = next((a.actor for a, _ in mentions if cat.actors[a.actor].inter in (1, 2, 3, 8)), None)
        intervened = sub_type != "Peaceful protest"
        return {"actor1": crowd, "actor2": force if intervened else None, "assoc_actor_1": [], "assoc_actor_2": []}
    claimed = any(r == "claim" for _, r in mentions)
    mentions = [(a, "agent" if r == "claim" else r) for a, r in mentions]
    agents = [a.actor for a, r in mentions if r == "agent"]
    supports = [a.actor for a, r in mentions if r == "support"]
    targets = [a.actor for a, r in mentions if r == "target"]
    plain = [a.actor for a, r in mentions if r is None]
    armed_plain = [x for x in plain if x not in NON_ARMED]
    actor1 = next(iter(agents), None) or next((x for x in armed_plain if x not in targets and x not in supports), None)
    if actor1 in FOREIGN_SUPPORT:
        local = next((x for x in armed_plain + agents if x != actor1 and x not in FOREIGN_SUPPORT
                      and x not in targets and cat.actors[x].inter in (1, 2, 3)), None)
        if local:
            supports.append(actor1)
            actor1 = local
    supports += [x for x in armed_plain if x in FOREIGN_SUPPORT and x != actor1 and x not in targets]
    rest = [x for x in targets + armed_plain if x != actor1 and x not in supports]
    actor2 = next(iter(rest), None)
    civilians = any(a.actor == "CIVILIANS" for a, _ in mentions)
    if actor2 is None and civilians and event_type in ("Violence against civilians", "Explosions/Remote violence",
                                                        "Strategic developments"):
        actor2 = "CIVILIANS"
    landmine = any(text[t.start:t.end].removeprefix("ال").startswith(LANDMINE_WORDS) for t in triggers)
    if landmine:
        actor1 = None  # leftover mines: nobody is coded as the one who acted
    elif actor1 is None and (event_type in ("Battles", "Violence against civilians")
                             or sub_type == "Remote explosive/landmine/IED"):
        actor1 = "UNIDENTIFIED_ARMED_GROUP"
    if actor1 == actor2:
        actor2 = None
    assoc1 = [x for x in dict.fromkeys(supports) if x not in (actor1, actor2)]
    return {"actor1": actor1, "actor2": actor2, "assoc_actor_1": assoc1, "assoc_actor_2": [], "claimed": claimed}
