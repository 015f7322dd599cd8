"""How triggers combine into one event type, and which drafts of one incident merge.

ACLED codes one event per action, place and day: a raid in which clashes break out and people
are arrested is one Armed clash; a protest that security forces disperse is one Protest with
intervention. Families group the sub-types that can describe the same incident; within a family
the first listed sub-type wins when two drafts merge.
"""
from __future__ import annotations

from typing import Protocol

from .triggers import Trigger

FAMILY_ORDER: dict[str, list[str]] = {
    "raid": ["Armed clash", "Suicide bomb", "Arrests", "Attack", "Other"],
    "protest": ["Excessive force against protesters", "Violent demonstration", "Protest with intervention",
                "Peaceful protest"],
    "territory": ["Government regains territory", "Non-violent transfer of territory",
                  "Non-state actor overtakes territory"],
    "remote": ["Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"],
}
FAMILY: dict[str, str] = {sub: fam for fam, subs in FAMILY_ORDER.items() for sub in subs}
TYPE_OF: dict[str, str] = {
    "Armed clash": "Battles", "Suicide bomb": "Explosions/Remote violence", "Arrests": "Strategic developments",
    "Attack": "Violence against civilians", "Other": "Strategic developments",
    "Excessive force against protesters": "Protests", "Violent demonstration": "Riots",
    "Protest with intervention": "Protests", "Peaceful protest": "Protests",
    "Government regains territory": "Battles", "Non-violent transfer of territory": "Strategic developments",
    "Non-state actor overtakes territory": "Battles",
    "Air/drone strike": "Explosions/Remote violence", "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
}
GENERIC_ATTACK_RANK = 25  # هجوم، استهدف: an attack whose nature depends on who was hit


class _DraftLike(Protocol):
    event_type: str
    sub_event_type: str
    rank: int
    kill_only: bool


def combine_types(triggers: list[Trigger], civilians_hit: bool) -> tuple[str, str, int, str] | None:
    """(event_type, sub_event_type, rank, mode) for the triggers of one clause group. mode is ""
    for an event trigger, "kill" when only a killing is reported (it may stand alone or add to
    an incident already read), "support" when the words only refine an incident already read."""
    events = [t.sense for t in triggers if t.sense.role == "event"]
    supports = [t.sense for t in triggers if t.sense.role == "support"]
    kills = [t.sense for t in triggers if t.sense.role == "kill"]
    if not events:
        if kills:
            if civilians_hit:
                return "Violence against civilians", "Attack", 35, "kill"
            return "Battles", "Armed clash", 35, "kill"
        if supports:
            s = min(supports, key=lambda x: x.rank)
            return s.event_type, s.sub_event_type, s.rank, "support"
        return None
    base = min(events, key=lambda x: x.rank)
    sub = base.sub_event_type
    refiners = {x.sub_event_type for x in supports + events}
    armed_killed = bool(kills) and not civilians_hit
    if FAMILY.get(sub) == "raid" and sub in ("Arrests", "Other") and ("Armed clash" in refiners or armed_killed):
        sub = "Armed clash"
    elif FAMILY.get(sub) == "protest":
        if any(k.pattern.endswith(("النار", "رصاص")) or k.pattern.startswith("قتل") for k in kills):
            refiners.add("Excessive force against protesters")  # protesters shot at or killed
        sub = next(s for s in FAMILY_ORDER["protest"] if s in refiners | {sub})
    elif sub == "Shelling/artillery/missile attack" and "Air/drone strike" in refiners:
        sub = "Air/drone strike"  # "الطائرات الحربية قصفت": shelling from the air
    elif sub == "Government regains territory" and "Non-violent transfer of territory" in refiners:
        sub = "Non-violent transfer of territory"
    if sub == "Armed clash" and base.rank >= GENERIC_ATTACK_RANK and civilians_hit:
        sub = "Attack"
    event_type = TYPE_OF.get(sub, base.event_type if sub == base.sub_event_type else base.event_type)
    return event_type, sub, base.rank, ""


def merged_type(old: _DraftLike, new: _DraftLike) -> tuple[str, str, int] | None:
    """The type of ``old`` once ``new`` is merged into it, or None when they are different events."""
    if new.kill_only:
        return old.event_type, old.sub_event_type, old.rank
    if old.kill_only:
        return new.event_type, new.sub_event_type, new.rank
    if old.sub_event_type == new.sub_event_type:
        return old.event_type, old.sub_event_type, min(old.rank, new.rank)
    # An incursion ("توغل") is how forces got to where they raided, demolished or arrested.
    if new.sub_event_type == "Other" and old.event_type in ("Strategic developments", "Battles"):
        return old.event_type, old.sub_event_type, old.rank
    if old.sub_event_type == "Other" and new.event_type in ("Strategic developments", "Battles"):
        return new.event_type, new.sub_event_type, new.rank
    fam = FAMILY.get(old.sub_event_type)
    if fam is None or fam != FAMILY.get(new.sub_event_type):
        return None
    if fam == "territory":
        return old.event_type, old.sub_event_type, old.rank
    order = FAMILY_ORDER[fam]
    winner = old if order.index(old.sub_event_type) <= order.index(new.sub_event_type) else new
    return winner.event_type, winner.sub_event_type, min(old.rank, new.rank)
