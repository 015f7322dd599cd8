"""English ACLED-style notes generated from an event's fields (marsad.notes)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from marsad import notes
from marsad.model import Event
from marsad.notes import english_note, templates

# The sub-event types of spec/EVENTS.md.
SUB_EVENT_TYPES = [
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Suicide bomb",
    "Grenade", "Chemical weapon", "Attack", "Abduction/forced disappearance", "Sexual violence",
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Violent demonstration", "Mob violence", "Arrests", "Agreement", "Change to group/activity",
    "Disrupted weapons use", "Headquarters or base established", "Looting/property destruction",
    "Non-violent transfer of territory", "Other",
]


def ev(**kw) -> Event:
    base = dict(
        event_date="2020-05-17", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
        actor1="SDF", assoc_actor_1=[], actor2="ISIS", assoc_actor_2=[], country="Syria", admin1="Deir ez-Zor",
        location="Al-Busayrah", location_ar="البصيرة", latitude=35.15, longitude=40.43, geo_precision=1,
        fatalities=0, sources=[], evidence="",
    )
    base.update(kw)
    return Event(**base)


def clean(note: str) -> None:
    """What every note must look like, whatever the event."""
    assert note and note[0].isupper() and note.endswith("."), note
    assert "{" not in note and "}" not in note and "None" not in note, note
    assert "  " not in note and " ," not in note and " ." not in note and ",." not in note, note


# --- the examples of the brief ------------------------------------------------------------

def test_clash_with_backing_and_fatalities():
    e = ev(assoc_actor_1=["COALITION"], fatalities=2)
    assert english_note(e) == ("On 17 May 2020, SDF forces backed by Coalition forces clashed with IS members "
                               "in Al-Busayrah (Deir ez-Zor). 2 fatalities reported.")


def test_shelling_killing_civilians_with_sources():
    e = ev(event_date="2024-09-20", event_type="Explosions/Remote violence",
           sub_event_type="Shelling/artillery/missile attack", actor1="SYRIAN_GOV", actor2="CIVILIANS",
           admin1="Idlib", location="Taftanaz", fatalities=1, sources=["SOHR", "SANA"])
    assert english_note(e) == ("On 20 September 2024, Syrian government forces shelled Taftanaz (Idlib), "
                               "killing 1 civilian, according to SOHR and SANA.")


def test_peaceful_protest_says_nothing_of_zero_fatalities():
    e = ev(event_date="2020-10-22", event_type="Protests", sub_event_type="Peaceful protest",
           actor1="PROTESTERS", actor2=None, admin1="Al-Hasakah", location="Al-Hasakah")
    assert english_note(e) == "On 22 October 2020, protesters demonstrated in Al-Hasakah (Al-Hasakah)."


def test_week_precision_unidentified_group_and_car_bomb_from_the_trigger():
    e = ev(event_date="2025-02-02", time_precision=2, event_type="Explosions/Remote violence",
           sub_event_type="Remote explosive/landmine/IED", actor1="UNIDENTIFIED_ARMED_GROUP", actor2=None,
           admin1="Aleppo", location="Al-Bab", trigger="سيارة مفخخة", fatalities=4)
    assert english_note(e) == ("On 2 February 2025 (week of), an unidentified armed group detonated a car bomb "
                               "in Al-Bab (Aleppo). 4 fatalities reported.")


# --- precisions ---------------------------------------------------------------------------

def test_month_precision_and_passive_landmine():
    e = ev(event_date="2021-03-15", time_precision=3, event_type="Explosions/Remote violence",
           sub_event_type="Remote explosive/landmine/IED", actor1=None, actor2=None, admin1="Daraa",
           location="Tafas", trigger="انفجار", evidence="قتل راع بانفجار لغم أرضي قرب بلدة طفس", fatalities=1)
    note = english_note(e)
    assert note == "Around 15 March 2021 (month of), a landmine exploded in Tafas (Daraa). 1 fatality reported."


def test_near_a_town_at_geo_precision_2():
    note = english_note(ev(geo_precision=2))
    assert "clashed with IS members near Al-Busayrah (Deir ez-Zor)" in note


def test_geo_precision_2_on_a_district_is_not_near():
    note = english_note(ev(geo_precision=2, location="Al-Mayadin", admin2="Al-Mayadin"))
    assert "in Al-Mayadin (Deir ez-Zor)" in note and "near" not in note


def test_governorate_at_geo_precision_3():
    note = english_note(ev(geo_precision=3, location="Deir ez-Zor"))
    assert "clashed with IS members in Deir ez-Zor governorate." in note


def test_district_at_geo_precision_3():
    note = english_note(ev(geo_precision=3, location="Al-Mayadin", admin2="Al-Mayadin"))
    assert "in Al-Mayadin district (Deir ez-Zor)" in note


def test_object_place_forms_for_shelling():
    base = ev(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
              actor1="SYRIAN_GOV", actor2=None, admin1="Idlib", location="Idlib")
    assert "shelled areas in Idlib governorate" in english_note(replace(base, geo_precision=3))
    assert "shelled areas near Sarmin (Idlib)" in english_note(replace(base, location="Sarmin", geo_precision=2))


# --- actors -------------------------------------------------------------------------------

def test_no_actor1_gives_the_passive():
    note = english_note(ev(actor1=None, actor2=None, fatalities=3))
    assert note == "On 17 May 2020, armed clashes took place in Al-Busayrah (Deir ez-Zor). 3 fatalities reported."
    assert "unidentified" not in note


def test_unidentified_armed_group_only_as_actor1():
    assert english_note(ev(actor1="UNIDENTIFIED_ARMED_GROUP")).startswith(
        "On 17 May 2020, an unidentified armed group clashed with IS members")
    assert "clashed with unidentified gunmen" in english_note(ev(actor2="UNIDENTIFIED_ARMED_GROUP"))


def test_no_actor2_and_backing_on_both_sides():
    assert "SDF forces engaged in armed clashes in" in english_note(ev(actor2=None))
    note = english_note(ev(assoc_actor_1=["COALITION", "US"], actor2="SYRIAN_GOV",
                           assoc_actor_2=["RUSSIA", "IRAN_MILITIAS"]))
    assert ("SDF forces backed by Coalition forces and US forces clashed with Syrian government forces "
            "backed by Russian forces and Iran-backed militias") in note


def test_unknown_actor_id_is_shown_readably():
    note = english_note(ev(actor1="SOME_NEW_GROUP"))
    assert note.startswith("On 17 May 2020, Some New Group clashed with IS members")


def test_attack_on_civilians_passive():
    e = ev(event_type="Violence against civilians", sub_event_type="Attack", actor1=None, actor2="CIVILIANS",
           fatalities=2, location="Jasim", admin1="Daraa", sources=["Daraa 24"])
    assert english_note(e) == "On 17 May 2020, 2 civilians were killed in Jasim (Daraa), according to Daraa 24."


def test_arrests_active():
    e = ev(event_type="Strategic developments", sub_event_type="Arrests", actor1="SYRIAN_POLICE",
           actor2="CIVILIANS", location="Douma", admin1="Rural Damascus", sources=["Syria TV"])
    assert english_note(e) == ("On 17 May 2020, Syrian police arrested civilians in Douma (Rural Damascus), "
                               "according to Syria TV.")


# --- fatalities and sources ---------------------------------------------------------------

def test_zero_fatalities_in_a_battle():
    assert english_note(ev()).endswith("(Deir ez-Zor). No fatalities reported.")


def test_one_fatality_singular():
    assert english_note(ev(fatalities=1)).endswith(" 1 fatality reported.")


def test_sources_are_deduplicated_and_listed():
    note = english_note(ev(sources=["SOHR", "Enab Baladi", "SOHR", "witnesses"]))
    assert ", according to SOHR, Enab Baladi and witnesses." in note


def test_claims_that_differ_are_mentioned():
    e = ev(fatalities=2, sources=["SDF", "SOHR"],
           claims=[{"source": "SDF", "fatalities": 5, "span": [0, 3]}, {"source": "SOHR", "fatalities": 2}])
    assert english_note(e).endswith("2 fatalities reported. Reported figures differ (SDF: 5, SOHR: 2).")
    same = ev(fatalities=2, claims=[{"source": "SDF", "fatalities": 2}, {"source": "SOHR", "fatalities": 2}])
    assert "differ" not in english_note(same)


# --- coverage and robustness --------------------------------------------------------------

def test_every_sub_event_type_has_templates():
    assert set(SUB_EVENT_TYPES) <= set(templates()["sub_event_types"])


@pytest.mark.parametrize("sub", SUB_EVENT_TYPES)
@pytest.mark.parametrize("actor1, actor2", [("SDF", "ISIS"), ("SDF", None), (None, "CIVILIANS"), (None, None),
                                            ("SYRIAN_GOV", "CIVILIANS")])
@pytest.mark.parametrize("fatalities", [0, 1, 7])
def test_every_template_renders_cleanly(sub, actor1, actor2, fatalities):
    note = english_note(ev(sub_event_type=sub, actor1=actor1, actor2=actor2, fatalities=fatalities))
    clean(note)
    assert note.startswith("On 17 May 2020, ")
    if fatalities and "civilian" not in note:
        assert f"{fatalities} fatalit" in note


def test_nothing_is_invented_from_missing_fields():
    e = ev(event_date=None, location=None, admin1=None, country=None, actor1=None, actor2=None,
           sources=[], fatalities=0)
    note = english_note(e)
    assert note == "Armed clashes took place. No fatalities reported."


def test_country_only():
    note = english_note(ev(location=None, admin1=None, country="Syria", fatalities=0))
    assert "clashed with IS members in Syria." in note


@pytest.mark.parametrize("changes", [
    dict(event_date="last week", time_precision=None),
    dict(event_date="2020-13-45", time_precision=7),
    dict(event_type=None, sub_event_type=None),
    dict(sub_event_type="Something new"),
    dict(fatalities=None, sources=None, assoc_actor_1=None, assoc_actor_2=None),
    dict(fatalities="several", geo_precision=None, admin1=None),
    dict(fatalities=-1, sources="SOHR", assoc_actor_1="COALITION"),
    dict(claims="garbage", actor_spans=None, field_confidence=None),
    dict(claims=[None, {"source": None}, {"fatalities": "x"}]),
    dict(location="", location_ar=None, admin1="", country=""),
    dict(actor1=123, actor2=["ISIS"]),
])
def test_partial_or_malformed_events_never_raise(changes):
    note = english_note(ev(**changes))
    assert isinstance(note, str) and note.endswith(".")
    assert "{" not in note and "None" not in note


def test_an_event_without_any_usable_field():
    note = english_note(Event(None, None, None, None, None, None, None, None, None, None, None, None, None, None,
                              None, None, None, None))
    assert note == "An event coded as an unspecified type took place."


def test_broken_templates_fall_back(monkeypatch):
    monkeypatch.delenv("MARSAD_DEBUG", raising=False)
    monkeypatch.setattr(notes, "templates", lambda: {"sub_event_types": "not a mapping"})
    clean(english_note(ev()))

    def boom():
        raise OSError("no file")
    monkeypatch.setattr(notes, "templates", boom)
    assert english_note(ev()) == "Armed clash in Al-Busayrah on 2020-05-17."


def test_wording_comes_from_the_yaml(monkeypatch):
    import copy

    t = copy.deepcopy(templates())
    t["sub_event_types"]["Armed clash"]["active"] = "{actor1} fought {actor2} {location}"
    t["fatalities"]["many"] = " Fatalities: {n}."
    monkeypatch.setattr(notes, "templates", lambda: t)
    assert english_note(ev(fatalities=3)) == ("On 17 May 2020, SDF forces fought IS members in Al-Busayrah "
                                              "(Deir ez-Zor). Fatalities: 3.")
