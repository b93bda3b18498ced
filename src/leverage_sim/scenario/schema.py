"""The scenario schema: one pydantic model tree, the single place where parameters are defined.

Every parameter carries its unit, default, valid range and a description that gives the source
or reasoning for its default (``docs/model.md`` and ``leverage-sim params`` are generated from
here). Defaults describe Iraq in mid-2020; ``scenarios/june_2020_replay.yaml`` sets the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal, get_args

from pydantic import Field, PrivateAttr, model_validator

from leverage_sim.files.safe_text import name_key
from leverage_sim.scenario import event_schema
from leverage_sim.scenario.renamed import current_fields
from leverage_sim.scenario.schema_base import (  # noqa: F401 (RETIRED_FIELDS, retired: the schema API)
    RETIRED_FIELDS,
    EntryName,
    Label,
    Name,
    OptionalName,
    Problems,
    Strict,
    param,
    retired,
)

PARLIAMENT_SEATS = 329  # Council of Representatives of Iraq, 2018 election: the default of
# government.parliament_seats and the bound of any parliament's size in a scenario.
MAX_PARLIAMENT_SEATS = 1000
TABLE_DATES = (dt.date(1677, 9, 22), dt.date(2262, 4, 11))
"""The first and last dates a run's tables can hold: whole days within pandas' nanosecond
timestamps (``pd.Timestamp.min`` and ``.max``), the type of their ``date`` column."""


class Government(Strict):
    """The Prime Minister and the forces loyal to him."""

    name: Name = param(
        "Government of Iraq",
        unit="text",
        description="Display name of the government actor.",
        source="Label only.",
    )
    authority: float = param(
        0.5, unit="index 0-1", ge=0, le=1,
        description="Authority/credibility of the PM: share of state forces and officials that "
        "follow his orders; scales the forces he can bring into a standoff.",
        source="Mid-point: a new PM (took office 7 May 2020) with 'widespread domestic and "
        "international doubts about his abilities' (seed brief).",
    )
    resolve: float = param(
        0.6, unit="index 0-1", ge=0, le=1,
        description="Willingness to bear the cost of confrontation: weight on winning a standoff "
        "against the cost of losing it.",
        source="Above mid-point: he 'took office vowing to bring the militias under national "
        "command' and ordered the raid (seed brief).",
    )
    enforcement_capacity: int = param(
        500, unit="personnel", ge=0, le=100_000,
        description="Loyal forces (Counter-Terrorism Service and PM's protection units) available "
        "for one operation or standoff where the confrontation is.",
        source="Order of magnitude of CTS units committed in Baghdad operations (a few battalions); "
        "calibrated so that a 150-strong muster is a real threat without US backing.",
    )
    coalition_support: float = param(
        0.45, unit="share 0-1", ge=0, le=1,
        description="Share of parliament backing the PM's line on the militias; adds to his "
        "resolve in a standoff.",
        source="Sunni and Kurdish blocs plus some Shia parties (seed brief); below a majority.",
    )
    raid_rate: float = param(
        0.004, unit="raids/day", ge=0, le=1,
        description="Scale of the daily hazard of an unscripted enforcement raid: hazard = "
        "raid_rate × resolve × (1 − E[resistance] × (1 − E[backing])) × (1 + attack_response × "
        "attacks per month + pressure_response × US pressure) (mechanisms/enforcement.py).",
        source="Two major raids on PMF figures (25 Jun 2020, KH; 26 May 2021, Qasim Muslih) in "
        "al-Kadhimi's first ~13 months: ~0.005/day; set so the replay's pre-raid hazard is about "
        "0.003/day. Tuned, against that rate.",
    )
    attack_response: float = param(
        0.2, unit="per (attack/month)", ge=0, le=10,
        description="How much each attack a month on foreign sites (recent, as the government "
        "remembers them) raises the raid hazard (relative).",
        source="Reasoning: the 25 Jun 2020 raid targeted KH members 'said to plan rocket "
        "attacks' (seed brief): attacks are the stated motive; at the 2020 level of ~5 a month "
        "the motive doubles the hazard.",
    )
    pressure_response: float = param(
        1.0, unit="per unit of US pressure", ge=0, le=10,
        description="How much US pressure to act (US casualties remembered against its "
        "tolerance, 0-1) raises the raid hazard (relative).",
        source="Reasoning: Washington pressed Baghdad to rein in the militias after US deaths "
        "(and threatened to close the embassy in Sep 2020); at full pressure the hazard doubles.",
    )
    raid_targets: int = param(
        14, unit="persons", ge=1, le=500,
        description="Militia members targeted by an unscripted raid.",
        source="The 25 Jun 2020 raid targeted 14 KH members (seed brief).",
    )
    prior_backing: float = param(
        0.35, unit="probability 0-1", ge=0, le=1,
        description="Government's initial belief (mean) that US forces will step in when it is "
        "challenged.",
        source="Speculation that the US 'nudged' the raid (seed brief): the PM had reason to hope "
        "for support, but no commitment.",
    )
    prior_strength: float = param(
        4.0, unit="pseudo-observations", gt=0, le=1000,
        description="Weight of that prior belief: how many observed standoffs it is worth.",
        source="Weak prior: no standoff of this kind under this PM before June 2020.",
    )
    prior_resistance: float = param(
        0.5, unit="probability 0-1", ge=0, le=1,
        description="Government's initial belief (mean) that a militia resists its enforcement "
        "(a raided militia musters rather than complies; a militia fights back in an "
        "operation); updated by every raid's answer, every operation's opening (resist or "
        "stand down), public threats and each day of fighting; "
        "in a fight it weighs the militia's strength in the government's believed contest, "
        "and it is the share of the fight's troops the government engages each day "
        "(mechanisms/operation.py, step 2).",
        source="Reasoning: no raid on a PMF faction under this PM before June 2020; even odds.",
    )
    liaison_rate: float = param(
        1 / 30, unit="probability/day", ge=0, le=1,
        description="Daily chance that the government receives a private signal of the US's "
        "real commitment (its chance of stepping in today): a signal says 'they will step in' "
        "with that chance and adds half an observation to the government's belief in backing. "
        "Militias get no such signal: the two beliefs diverge toward the US's real policy.",
        source="Reasoning: the PM's channels to Washington (the US-Iraq Strategic Dialogue of "
        "June and August 2020, the joint operations command's liaison officers): about one "
        "telling contact a month.",
    )
    belief_memory_days: float = param(
        365.0, unit="days", ge=1, le=36500,
        description="Time constant over which the government's beliefs (US backing, militia "
        "resistance) forget: the evidence counts relax toward the prior's each day.",
        source="Reasoning: a lesson weighs for about a political year; ten-year runs otherwise "
        "freeze beliefs on the first years' evidence.",
    )
    negotiation_leverage: float = param(
        0.1, unit="share 0-1", ge=0, le=1,
        description="When it relents, the share of detainees the government can keep in the "
        "negotiated transfer, at a believed win chance of 1 (kept ~ Binomial(detainees, "
        "leverage × win chance)).",
        source="Tuned: 13 of 14 detainees released and one kept in June 2020 (seed brief); at "
        "the replay's believed win chance (~0.5) one of 14 is kept on average.",
    )
    recovery_days: float = param(
        365.0, unit="days", ge=1, le=36500,
        description="Time constant over which authority, resolve and coalition support recover "
        "toward their starting values (the scenario's, the baseline) after shocks.",
        source="Reasoning: a PM's standing recovers over about a year without new shocks; keeps "
        "10-year runs stationary instead of ratcheting to 0 or 1.",
    )
    decision_sharpness: float = param(
        6.0, unit="1/index", gt=0, le=100,
        description="Sharpness of the daily hold-firm/relent choice (logistic slope): higher is "
        "more deterministic.",
        source="Calibrated to the replay's validation targets (docs/model.md).",
    )
    relent_authority_cost: float = param(
        0.12, unit="index", ge=0, le=1,
        description="Authority lost when the government relents in a standoff.",
        source="The relent 'demonstrated that he cannot enforce his orders' (seed brief).",
    )
    win_authority_gain: float = param(
        0.08, unit="index", ge=0, le=1,
        description="Authority gained when a standoff ends with the militia backing down.",
        source="Reasoning: a success counts less than a failure costs (loss aversion of audiences).",
    )
    command_reach: float = param(
        0.5, unit="index 0-1", ge=0, le=1,
        description="How far the government's command restrains the militias formally under it: "
        "a militia makes 1 − command_reach × authority × (1 − autonomy) of the attacks it would "
        "make on its own (autonomy from state command: 1 = unrestrained).",
        source="Reasoning: PMF units formally under the PM's command (2016 PMF law, the July "
        "2019 decree) that follow state orders (the shrine units, which left the PMF in 2020) "
        "do not attack US forces; a PM of middling authority (al-Kadhimi, 2020) restrains the "
        "others only partly; half way.",
    )
    threat_sensitivity: float = param(
        6.0, unit="index per seat share", ge=0, le=100,
        description="Political pressure on the government from one public threat, per share of "
        "parliament's seats held by the threatening bloc (pressure lowers the will to hold firm).",
        source="Tuned: Khazali's warning from a 15-seat bloc (26 Jun 2020) came before the PM "
        "relented (seed brief); set so that most replay relents follow a public threat.",
    )
    release_delay_days: float = param(
        2.0, unit="days", gt=0, le=365,
        description="After relenting, the median delay from the transfer of a case's detainees "
        "to a militia-controlled unit to their release together (bail, or a judge's release "
        "for insufficient evidence); one log-normal delay is drawn per case, released on day "
        "max(1, ceil(delay)) after the transfer (mechanisms/custody.py).",
        source="Tuned to the one fitted case: KH members handed over on 26 Jun 2020 were out on "
        "bail by 29 Jun (3 days; 13 of 14 by then in most replay runs needs a median below 3). "
        "Qasim Muslih's case (transfer 26-28 May, release 7-9 Jun 2021: ~12 days) is held out, "
        "so it does not set this value; the calibration prior spans both.",
    )
    committed_share: float = param(
        1.0, unit="share 0-1", ge=0, le=1,
        description="Share of the enforcement capacity (and of an operation's troops) that "
        "fights in a confrontation (standoff, clash or operation); the rest stays out "
        "(mechanisms/operation.py).",
        source="Reasoning: 1 in Iraq 2020, where the CTS and the PM's units answered to him; "
        "Lebanon, May 2008: the army stayed neutral while Hezbollah took West Beirut (France 24, "
        "Haaretz 2008-05-10), a low value.",
    )
    force_cohesion: float = param(
        0.8, unit="index 0-1", ge=0, le=1,
        description="Resistance of the government's troops to desertion in a fight: desertion "
        "share/day = desertion_rate × (1 − force_cohesion) × (1 − p + 10 × losses/troops) "
        "(mechanisms/operation.py).",
        source="Reasoning: most Iraqi units held in Basra, March 2008, while a newly formed "
        "brigade broke (Long War Journal 2008-04-05); with desertion_rate this gives ~1,300 of "
        "30,000 in the first four days of an even fight (LA Times 2008-04-14: ~1,000-1,300).",
    )
    desertion_rate: float = param(
        0.15, unit="share/day", ge=0, le=1,
        description="Daily share of troops who desert or refuse to fight at force_cohesion 0, a "
        "hopeless contest (p = 0) and no losses (scale of the desertion equation).",
        source="Tuned to Basra 2008 with force_cohesion 0.8: ~1%/day at the opening contest "
        "(p ≈ 0.64), ~1,000-1,300 of ~30,000 in the first days (Washington Post 2008-04-14).",
    )
    combat_lethality: float = param(
        0.001, unit="killed/day per personnel-equivalent", ge=0, le=1,
        description="Militia fighters the government's side kills per day of fighting per "
        "personnel-equivalent of its strength S_g (Lanchester square law; "
        "mechanisms/operation.py); a militia facing an operation expects the first day's "
        "losses from it when it decides to resist or stand down (step 0).",
        source="Basra, 25-31 Mar 2008: 210 (210-415) killed in Basra in six days with ~15,000 "
        "government troops and ~16,000 militia fighters engaged (Iraqi Interior Ministry, "
        "Reuters 2008-03-31 and Aswat al-Iraq 2008-04-14): 35-70 a day ≈ 0.001 × (11,000 + "
        "9,600 and the US's share) for both sides' lethality, on the whole force; the model "
        "engages a share of it that grows as the government learns (0.36-0.7 of it in Basra's "
        "first week at prior_resistance 0.2), so the fitted value (calibration/default) is "
        "higher.",
    )
    parliament_seats: int = param(
        PARLIAMENT_SEATS, unit="seats", ge=1, le=MAX_PARLIAMENT_SEATS,
        description="Seats in the country's parliament: a militia bloc's public threat weighs "
        "threat_sensitivity × its seats / parliament_seats.",
        source="Iraq's Council of Representatives, 329 seats (2018 election); Lebanon's "
        "parliament has 128 (scenarios/lebanon_2008.yaml).",
    )
    step_in_coalition_cost: float = param(
        0.03, unit="share 0-1", ge=0, le=1,
        description="Coalition support the government loses each time foreign forces visibly "
        "step in on its side (a sovereignty cost: the PM is seen leaning on foreign troops "
        "against a faction of the state's own forces).",
        source="Reasoning: after the visible US actions of Dec 2019 - Jan 2020 the Fatah bloc and "
        "the PMF's allies condemned a breach of sovereignty and carried the 5 Jan 2020 expulsion "
        "vote; the size of a standoff's outcome (beliefs.COALITION_SHIFT).",
    )
    release_delay_spread: float = param(
        0.8, unit="log-normal sigma", ge=0, le=3,
        description="Case-to-case spread of the release delay: the sigma of log(delay) (0: "
        "every case takes exactly the median; 0.8: the middle 90% of cases within a factor "
        "e^(1.645 x 0.8) = 3.7 of the median either way).",
        source="Reasoning: a release on bail within days and one after an investigation of "
        "weeks are both ordinary outcomes of the same judicial process (the charge, the "
        "detainee's rank and the political deal differ by case): an order of magnitude "
        "between plausible cases.",
    )


class Militia(Strict):
    """One militia (a Popular Mobilization Forces faction)."""

    name: EntryName = Field(..., description="Short name, unique (e.g. KH, AAH; also ignoring "
                           "case, spacing and full-width forms); used in overrides as "
                           "militias[NAME].field. Not a whole number: militias[0] is the "
                           "first militia.")
    full_name: Label = param("", unit="text", description="Full name.", source="Label only.")
    fighters: int = param(
        5000, unit="fighters", ge=0, le=1_000_000,
        description="Total fighters. An operation on the militia (a scripted `operation`) "
        "meets all of them, not its local_fighters: for a fight in one city, give the fighters "
        "there (as basra_2008 and najaf_2004 do).",
        source="Public estimates for 2020 (e.g. KH ~ 5,000-10,000, AAH ~ 10,000); per scenario.",
    )
    local_fighters: int = param(
        300, unit="fighters", ge=0, le=100_000,
        description="Fighters who can be mobilised within a day where the government confronts "
        "the militia (Baghdad in 2020, Basra in 2008): the pool for musters and local defence.",
        source="Reasoning: a small share of total strength is in Baghdad at any time.",
    )
    patron_support_share: float = param(
        0.2, unit="share 0-1", ge=0, le=1,
        description="Share of the patron's support this militia receives (alignment). Shares of "
        "all militias must sum to at most 1.",
        source="KH 'receives more support from the IRGC-QF than any other Iraqi militia' (seed).",
    )
    autonomy: float = param(
        0.6, unit="index 0-1", ge=0, le=1,
        description="Autonomy from state command: 0 = obeys the PM, 1 = answers only to itself "
        "and its patron. A militia with little autonomy makes fewer attacks under a government "
        "with authority (government.command_reach), complies more with raids (muster index), "
        "and cannot act on its own hostility when its patron holds back.",
        source="Formally part of the PMU, in practice reporting to the IRGC-QF (seed brief).",
    )
    cohesion: float = param(
        0.8, unit="index 0-1", ge=0, le=1,
        description="Leadership and organisational cohesion; scales attacks and local defence.",
        source="Reasoning; lowered after decapitation (KH after 3 Jan 2020).",
    )
    seats: int = param(
        0, unit="seats", ge=0, le=MAX_PARLIAMENT_SEATS,
        description="Seats of its political bloc in parliament (at most "
        "government.parliament_seats); weight of its public threats.",
        source="2018 election results (e.g. Sadiqoun/AAH 15 seats; KH none of its own).",
    )
    attack_rate: float = param(
        0.05, unit="attacks/day", ge=0, le=20,
        description="Attacks per day on foreign-force sites at full patron push, full strength "
        "and full cohesion.",
        source="Calibrated so all militias together make ~5 attacks a month in 2020.",
    )
    mobilisation: float = param(
        0.4, unit="share 0-1", ge=0, le=1,
        description="Share of local fighters that turn out when the militia musters.",
        source="Calibrated: KH mustered ~150 fighters on 25-26 Jun 2020 (seed brief).",
    )
    threat_propensity: float = param(
        0.3, unit="probability/day", ge=0, le=1,
        description="Daily chance, within the threat window after a raid on any militia, that "
        "its political leadership issues a public threat (at full patron push; once per raid).",
        source="Khazali (AAH) publicly warned the PM on 26 Jun, the day after the raid (seed).",
    )
    threat_window_days: int = param(
        4, unit="days", ge=0, le=365,
        description="Days after a raid on this militia during which the leaders of every "
        "militia (its allies and its own) may threaten the government publicly, each at most "
        "once per raid (each by its own threat_propensity); the raided militia's value sets "
        "the window.",
        source="Khazali's (AAH) warning came the day after the raid on KH (seed brief).",
    )
    solidarity: float = param(
        0.1, unit="probability/day", ge=0, le=1,
        description="Daily chance of sending fighters to join an ally's muster.",
        source="Reasoning: only KH is reported at the June muster; kept low.",
    )
    clash_propensity: float = param(
        0.05, unit="probability/day", ge=0, le=1,
        description="Daily chance that a muster facing a government that holds firm turns into an "
        "armed clash (at full patron push).",
        source="Reasoning: no clash in June 2020; militias prefer intimidation to open fighting.",
    )
    hostility: float = param(
        0.3, unit="index 0-1", ge=0, le=1,
        description="The militia's own drive to attack foreign forces, without patron push: an "
        "autonomous militia keeps attacking at up to this level when its patron holds back "
        "(intent = push + autonomy × max(0, hostility − push); agency slack).",
        source="Reasoning (Berman & Lake, Proxy Wars, 2019): KH and Nujaba vowed to expel US "
        "forces on their own account; below the patron's 2020 push, so slack shows only under "
        "restraint.",
    )
    emboldening: float = param(
        0.5, unit="per unit of morale", ge=0, le=5,
        description="Relative change of the attack rate per unit of morale (morale −1..1: + after "
        "the government relents or loses a clash, − after a government win).",
        source="Reasoning: attacks went on and drone attacks grew after the June 2020 and June "
        "2021 releases; a relent (+0.5 morale) raises the militia's attacks by a quarter.",
    )
    morale_memory_days: float = param(
        60.0, unit="days", ge=1, le=3650,
        description="Time constant over which morale (emboldened or deterred) fades back to 0.",
        source="Reasoning: the lesson of a standoff weighs for a season.",
    )
    retaliation_aversion: float = param(
        0.4, unit="share 0-1", ge=0, le=1,
        description="Share of its attacks a militia forgoes when it is certain that a deadly "
        "attack brings US strikes (scaled by its belief E[retaliation]).",
        source="Reasoning: after the Dec 2019 and Jan 2020 strikes militias shifted to front "
        "groups and smaller attacks without giving them up.",
    )
    prior_retaliation: float = param(
        0.6, unit="probability 0-1", ge=0, le=1,
        description="Initial belief (mean) that a deadly attack brings US strikes; updated by "
        "every US decision after a deadly attack.",
        source="Both fatal attacks of Dec 2019-Mar 2020 (K-1, Taji) were answered with strikes.",
    )
    prior_backing: float = param(
        0.35, unit="probability 0-1", ge=0, le=1,
        description="Initial belief (mean) that US forces step in to back the government in a "
        "standoff or an operation; updated by what the militia sees (standoffs, silent days, "
        "drawdowns); weighs the US's strength in the contest the militia believes an operation "
        "brings, when it decides to resist or stand down (mechanisms/operation.py, step 0).",
        source="Reasoning: the same public signals as the government's (government.prior_backing).",
    )
    prior_government_resolve: float = param(
        0.6, unit="probability 0-1", ge=0, le=1,
        description="Initial belief (mean) that the government wins a standoff; updated by every "
        "standoff's outcome. Lowers the militia's muster after a raid; at an operation's "
        "opening it stands down only as far as it expects the government to press on "
        "(mechanisms/operation.py, step 0).",
        source="Reasoning: a new PM who vowed to bring the PMF under state command (seed brief).",
    )
    prior_strength: float = param(
        4.0, unit="pseudo-observations", gt=0, le=1000,
        description="Weight of the militia's priors: how many observations each is worth.",
        source="Weak priors: few confrontations of this kind before June 2020.",
    )
    belief_memory_days: float = param(
        365.0, unit="days", ge=1, le=36500,
        description="Time constant over which the militia's beliefs (US backing, government "
        "resolve, US retaliation) forget: the evidence counts relax toward its priors each day.",
        source="Reasoning: as government.belief_memory_days; militia leaders and fighters turn "
        "over within a few years.",
    )
    attack_cells: int = param(
        60, unit="members", ge=1, le=100_000,
        description="Members in the militia's rocket and IED cells; arrests disrupt its attacks "
        "in proportion to arrests / attack_cells.",
        source="Reasoning: the 14 arrested on 25 Jun 2020 were 'said to plan rocket attacks' "
        "(seed brief); a faction's launch teams number in the tens.",
    )
    disruption_recovery_days: float = param(
        45.0, unit="days", ge=1, le=3650,
        description="Time constant over which cells disrupted by arrests or strikes recover.",
        source="Reasoning: attacks resumed within weeks of the 2020 strikes and arrests.",
    )
    defence_avoidance: float = param(
        0.5, unit="share 0-1", ge=0, le=1,
        description="How far the militia steers its attacks away from defended sites: a site's "
        "weight in its choice of target is target_weight × (1 − defence_avoidance × "
        "interception) (1: by the chance an attack gets through; 0: defences ignored).",
        source="Crisis Group CrisisWatch (Aug-Sep 2020) and press reports: after the embassy's "
        "C-RAM (July 2020) IED attacks on undefended coalition supply convoys surged (a dozen in "
        "one week of August 2020), yet rockets at the defended embassy went on (17 Nov, 20 Dec "
        "2020: political messages as much as attempts to kill); a partial shift, half way.",
    )
    stake_sensitivity: float = param(
        0.25, unit="elasticity", ge=0, le=2,
        description="How strongly what a raid puts at stake moves the militia's answer: the "
        "stake r = (members detained / fighters) / stake_reference (a detained commander "
        "counting as commander_stake members) adds "
        "stake_sensitivity × ln r to its muster index and scales the share of local fighters "
        "who turn out by r^stake_sensitivity (0: stakes ignored).",
        source="Reasoning: a militia defends members (and above all leaders) in custody because "
        "they can be tried or talk; arresting twice as many adds a fixed step to its will to "
        "resist (a log stake), so 1 arrest brings a small, unlikely muster and 200 most of its "
        "local fighters. Kept moderate: no case beyond June 2020 informs it yet.",
    )
    stake_reference: float = param(
        0.002, unit="share 0-1", gt=0, le=1,
        description="The stake (members detained as a share of the militia's fighters) at which the "
        "muster decision and size are those of the base equations (stake_sensitivity has no "
        "effect there).",
        source="The June 2020 stake the muster equations were tuned to: 14 KH members detained "
        "(seed brief) of KH's ~7,000 fighters (public estimates 5,000-10,000).",
    )
    commander_stake: float = param(
        100.0, unit="members per commander", ge=1, le=100_000,
        description="What one detained senior commander (a raid's documented figures.commanders, "
        "among its arrests) puts at stake, in rank-and-file members: the stake counts detained + "
        "(commander_stake − 1) × commanders detained (1: a commander weighs as one member).",
        source="Reasoning: detaining a senior commander (of a brigade or an operations command) "
        "puts at stake the command of his formation and what he knows of the network, not one "
        "member's freedom (Arsal, Aug 2014: the arrest of one Nusra Front leader set off a "
        "battle with the army, Naharnet 2014-08-05); from a cell leader's worth (~10 members: a "
        "rocket team) to a "
        "brigade's (~1,000 fighters), the default is the geometric middle, a battalion's ~100. "
        "Not fitted: no fit episode documents a commander detained (June 2020's 14 were "
        "'militants' in the official account); the held-out Muslih arrest (2021) is the one "
        "case, so it does not set this value.",
    )
    hold_ground: float = param(
        0.25, unit="contest ratio 0-1", ge=0, le=1,
        description="Extra margin of the government's contest ratio the militia needs, in a "
        "fight in its own districts, before it stands down at an operation's opening or leaves "
        "the streets (against a muster's dispersal; mechanisms/operation.py, steps 0 and 6): "
        "higher, it resists more often and holds on longer against a "
        "stronger force and leaves on a brokered ceasefire rather than in defeat.",
        source="Reasoning: JAM held Basra's districts for five days against a force twice its "
        "size, US air power from day 3, and left on its leader's order of 30 March, not in "
        "defeat (Washington Post 2008-03-31); Najaf 2004: three weeks under US assault. The "
        "default 0.25 is a quarter of the ratio's range; calibration/default fits JAM's value "
        "on Basra's fight (its end and ceasefire days).",
    )
    patron_dependence: float = param(
        1.0, unit="share 0-1", ge=0, le=1,
        description="How far the militia depends on its patron (arms, money, sanctuary, "
        "direction), as the chance it takes a ceasefire from it: the patron opens ceasefire "
        "talks in its fight only as far as it can deliver them (its daily chance of brokering "
        "times this; mechanisms/operation.py, step 4). 1: a creature of its patron, which "
        "stands down on its word; 0: a client that takes its help on its own terms and no "
        "ceasefire from it.",
        source="Reasoning (Berman & Lake, Proxy Wars, 2019: a principal's control of its agent "
        "rests on the rewards and punishments it can apply; where interests diverge it must act "
        "itself or admit indirect control is unworkable). The default 1: the 2020 militias were "
        "raised, armed and directed by the IRGC-QF (seed brief); JAM in 2008 stood down on "
        "the text agreed in Qom with Soleimani (McClatchy 2008-03-31), its leader living in "
        "Qom. Lower for a client with means of its own: JAM in 2004 (najaf_2004, JAM2004: 0.1).",
    )
    loss_sensitivity: float = param(
        10.0, unit="per share of fighters lost", ge=0, le=100,
        description="Weight of the militia's losses in a fight (killed as a share of its "
        "fighters at the start) in its choice to leave the streets, and of the losses it "
        "expects on the first day in its choice to stand down at an operation's opening "
        "(mechanisms/operation.py, steps 0 and 6): at 10, losing a tenth of its fighters "
        "weighs like a contest ratio lost outright; at 0, it weighs the contest alone.",
        source="Reasoning for the default: units that lose a tenth of their strength in days "
        "are badly shaken, and a militia's fighters see their dead (the model's fixed weight "
        "until December 2026). The record shows militias holding on through heavier losses: "
        "in Najaf (August 2004) JAM lost 76-364 of ~2,000 fighters in four days by the "
        "hospitals' and the US military's counts and held the old city for three weeks "
        "(Reuters via The Age 2004-08-10; IRIN 2004-08-11); in Sadr City (March-May 2008) it "
        "fought on for seven weeks with 539 fighters confirmed killed by 8 May (The Long War "
        "Journal 2008-05-08). calibration/default fits JAM's value on Basra's fight.",
    )
    recovery_days: float = param(
        365.0, unit="days", ge=1, le=36500,
        description="Time constant over which fighters, cohesion and autonomy recover toward "
        "their starting values (recruitment, new leaders, the state's reassertion).",
        source="Reasoning: KH rebuilt its leadership within about a year of al-Muhandis's death; "
        "keeps 10-year runs stationary.",
    )
    combat_lethality: float = param(
        0.001, unit="killed/day per personnel-equivalent", ge=0, le=1,
        description="Government troops the militia kills per day of fighting per unit of its "
        "strength S_m (Lanchester square law; mechanisms/operation.py).",
        source="As government.combat_lethality: Basra 2008, ~45 killed a day among both sides "
        "(Al Jazeera 2008-03-30); the sources do not split the dead by side, so both are equal.",
    )

    @model_validator(mode="before")
    @classmethod
    def _current_names(cls, data: Any) -> Any:
        """Old field names (``capital_fighters``) read as the current ones; both refused."""
        if not isinstance(data, dict):
            return data
        return current_fields("militias", data, f"militias[{data.get('name', '?')}]")


class Patron(Strict):
    """The external patron (IRGC-Qods Force)."""

    name: Name = param("IRGC-QF", unit="text", description="Display name.", source="Label only.")
    instigation: float = param(
        0.6, unit="index 0-1", ge=0, le=1,
        description="Baseline push on militias to attack and intimidate (0 = restrain, 1 = all "
        "out).",
        source="'Iran seeks to drive U.S. forces out of Iraq permanently' (seed brief).",
    )
    resources: float = param(
        1.0, unit="multiple of 2020 level", ge=0, le=5,
        description="Material support (rockets, funding, training) relative to 2020; scales "
        "attack capability.",
        source="Normalisation: 1 = the 2020 level the defaults are calibrated to.",
    )
    stability_priority: float = param(
        0.5, unit="index 0-1", ge=0, le=1,
        description="Weight on keeping Iraq's order stable against expelling US forces: the push "
        "the patron gives up per unit of escalation, continuously (target − priority × "
        "escalation below the threshold), and how far below its baseline it pulls instigation "
        "when war risk passes escalation_threshold.",
        source="Iran 'acquiesced to al-Kadhimi's appointment in the interests of keeping Iraq's "
        "political structure stable' (seed brief).",
    )
    escalation_threshold: float = param(
        0.7, unit="index 0-1", ge=0, le=1,
        description="War risk (escalation plus recent strikes) at which the patron's answer to "
        "US pressure turns from backlash to restraint (restraint weight ½; logistic around it).",
        source="Reasoning: after single rounds of strikes attacks resumed (Dec 2019, Mar 2020), "
        "after the 3 Jan 2020 brink and the strikes after Tower 22 (Feb 2024) the militias "
        "paused; three rounds of strikes in a month pass it.",
    )
    strike_backlash: float = param(
        0.3, unit="index", ge=0, le=1,
        description="Rise in instigation after each foreign strike (decays back).",
        source="Attacks resumed after the Dec 2019 and Mar 2020 US strikes. Raised from 0.15 "
        "when stability priority came to act continuously on escalation (which a strike "
        "raises): with 0.3 a single strike still brings net backlash at stability priority "
        "0.5 (tests/test_wiring.py, tests/test_mechanisms.py).",
    )
    adjustment_rate: float = param(
        0.1, unit="1/day", ge=0, le=1,
        description="Daily rate at which instigation moves toward its target.",
        source="Reasoning: patron direction takes days to weeks to reach the militias.",
    )
    raid_backlash: float = param(
        0.05, unit="index", ge=0, le=1,
        description="Rise in instigation after a raid on a client militia (fades with backlash).",
        source="Reasoning: the June 2020 muster was 'likely at Iran's instigation' (seed brief).",
    )
    strike_risk: float = param(
        0.15, unit="index per strike", ge=0, le=1,
        description="War risk each recent US strike adds to escalation in the patron's eyes.",
        source="Reasoning: three rounds of strikes in a month take the risk past the threshold, "
        "as the strikes after Tower 22 (Feb 2024) brought KH's announced pause.",
    )
    strike_memory_days: float = param(
        30.0, unit="days", ge=1, le=3650,
        description="Time constant over which the patron's memory of US strikes fades.",
        source="Reasoning: a month, the span of the 2020 and 2024 strike episodes.",
    )
    support_responsiveness: float = param(
        1.0, unit="per unit of disruption", ge=0, le=10,
        description="How strongly the patron shifts support toward a client under pressure "
        "(disrupted by arrests or strikes): share ∝ base share × (1 + this × disruption).",
        source="Reasoning: Iran backs a proxy under pressure rather than let it fold.",
    )
    broker_threshold: float = param(
        0.25, unit="probability 0-1", ge=0, le=1,
        description="The client's chance in a fight (1 − the government's contest ratio) below "
        "which the patron brokers a ceasefire (daily chance ½ at the threshold; "
        "mechanisms/operation.py).",
        source="Basra 2008: Iran brokered Sadr's order of 30 March (talks in Qom with "
        "Soleimani) once US air power had joined and JAM was losing (Washington Post, "
        "McClatchy 2008-03-31); reasoning: a patron lets its client fight an even fight.",
    )
    talks_days: int = param(
        2, unit="days", ge=0, le=60,
        description="Days from the patron's decision to broker a ceasefire in a client's fight "
        "(talks open) to the ceasefire taking hold; the fight goes on meanwhile "
        "(mechanisms/operation.py, step 4). 0: the ceasefire holds the day it is decided.",
        source="Basra 2008: the Iraqi lawmakers' secret trip to Qom for talks with Soleimani was "
        "on Friday 28 March, Sadr's order to stand down came on Sunday 30 March (McClatchy, "
        "2008-03-31: 'a secret trip Friday to Qom ... signed an agreement with Sadr, which formed "
        "the basis of his statement Sunday'). Najaf, August 2004: Sistani's deal came a day after "
        "his return (25-26 Aug); Doha, May 2008: five days of talks (16-21 May). Not fitted.",
    )
    step_in_backlash: float = param(
        0.1, unit="index", ge=0, le=1,
        description="Rise in the patron's backlash (instigation) when foreign forces visibly step "
        "in against a client: the patron answers as to a raid or strike on it (fades with "
        "backlash).",
        source="Reasoning: between a raid on a client (raid_backlash 0.05) and a strike on it "
        "(strike_backlash 0.3) - US forces confront the client without a round of strikes; the "
        "militias vowed revenge after each visible US action of Dec 2019 - Jan 2020.",
    )
    us_threat: float = param(
        0.0, unit="index 0-1", ge=0, le=1,
        description="War risk that announced US threats of force add in the patron's eyes (an "
        "input a scenario sets on the day of a threat; fades like its memory of strikes).",
        source="Scenario input: e.g. the US threat of late Sep 2020 to close its embassy in "
        "Baghdad, reported with plans to strike the militias after leaving.",
    )
    truce_instigation: float = param(
        0.1, unit="index 0-1", ge=0, le=1,
        description="When war risk passes escalation_threshold (restraint weight ½) the patron "
        "orders a truce (event 'truce'): its instigation is held at most at this level for "
        "truce_days. Militias' own hostility (agency slack) is not held.",
        source="The militias' conditional truce of 10 Oct 2020 (Reuters, 11 Oct 2020), broken "
        "only by two rocket attacks in Nov-Dec 2020.",
    )
    win_campaign: float = param(
        1.0, unit="multiple of 2020 resources", ge=0, le=5,
        description="A campaign: when a client wins a standoff (the government relents or loses "
        "a clash) the patron plans this much more material support (rockets, funds, new front "
        "groups); the plan fades over campaign_days and the support delivered (multiplying "
        "resources by 1 + campaign) follows it with a lag of campaign_build_days, so a win's "
        "campaign peaks about two months later. The patron presses an advantage its clients "
        "have shown.",
        source="Reasoning: after the government's relent of 29 Jun 2020 the militias' attacks "
        "rose through the summer (as many in Aug-Sep as in the nine months before, Japan MOFA "
        "29 Sep 2020); the seed brief reads the relent as showing the PM 'cannot enforce his "
        "orders'.",
    )
    campaign_days: float = param(
        90.0, unit="days", ge=1, le=3650,
        description="Time constant over which a planned campaign fades.",
        source="Reasoning: a season, as a militia's morale (militias[].morale_memory_days is "
        "60); a campaign is planned over months.",
    )
    campaign_build_days: float = param(
        45.0, unit="days", ge=1, le=3650,
        description="Time constant over which the support delivered follows the plan (rockets "
        "smuggled in, cells trained, front groups set up).",
        source="Reasoning: the new front groups of 2020 (Usbat al-Tha'ireen, Ashab al-Kahf) "
        "appeared over weeks to months; with campaign_days 90 a win's campaign peaks after "
        "ln(2) × 90 ≈ 62 days.",
    )
    truce_days: int = param(
        60, unit="days", ge=1, le=3650,
        description="How long a truce ordered by the patron holds its instigation down.",
        source="Reasoning: the October 2020 truce held about five weeks before the 17 Nov "
        "rockets; KH's suspension after Tower 22 (30 Jan 2024) lasted months.",
    )


class Site(Strict):
    """A site hosting foreign forces that militias may attack."""

    name: EntryName = Field(..., description="Unique site name (e.g. embassy, airport, bases, convoys).")
    target_weight: float = param(
        1.0, unit="relative weight", ge=0, le=1000,
        description="Relative chance that an attack is aimed at this site.",
        source="2020 attack pattern: bases, the Green Zone/embassy, Baghdad airport, convoys.",
    )
    interception: float = param(
        0.0, unit="probability 0-1", ge=0, le=1,
        description="Chance an attack on this site is intercepted (e.g. C-RAM rocket defence).",
        source="Per site; the embassy's new rocket defence intercepted the 4 Jul 2020 rocket.",
    )
    lethality: float = param(
        0.055, unit="US casualties/attack", ge=0, le=100,
        description="Mean US casualties (killed) per attack that is not intercepted, at full "
        "exposure (scaled by presence / (presence + foreign_forces.exposure_half): ×0.91 at "
        "5,200 troops).",
        source="~3 US deaths from ~60 attacks (Dec 2019-Oct 2020; K-1 and Taji) at ~5,200 troops: "
        "0.05 an attack, over that presence's exposure (0.91).",
    )


DEFAULT_FORCE = "US forces"
"""The foreign force's default name (the schema's defaults describe US forces in Iraq, 2020)."""
GENERIC_FORCE = "foreign"
"""The foreign force's label in texts about no one scenario's force (*foreign forces*), and
in a scenario's texts when it names its force otherwise and gives no ``short_name``."""


class ForeignForces(Strict):
    """The foreign forces (US forces in Iraq)."""

    name: Name = param(DEFAULT_FORCE, unit="text", description="Display name.",
                       source="Label only.")
    short_name: OptionalName = param(
        "", unit="text",
        description="How the texts of a run name the force, as a modifier: '<short_name> "
        "casualties', '<short_name> forces', 'E[<short_name> backing]' (e.g. US, British, "
        "MNF-I): a name, at most 100 characters. Empty: 'US' if name is 'US forces' (the "
        "default), otherwise 'foreign'.",
        source="Label only.",
    )
    presence: int = param(
        5200, unit="troops", ge=0, le=1_000_000,
        description="Troops in country at the start (0 = no presence at all).",
        source="~5,200 US troops in Iraq in early 2020; ~3,000 after the Sep 2020 drawdown.",
    )
    backing: float = param(
        0.1, unit="probability 0-1", ge=0, le=1,
        description="The main lever: probability that US forces actually step in to back the "
        "government when an enforcement action is contested, at a neutral state of the US's "
        "calculus (0 = never, 1 = always while troops are in country; in between its state "
        "shifts it, see backing_sensitivity).",
        source="'U.S. forces did not act to thwart the KH intimidation counterattack' (seed).",
    )
    standoff_share: float = param(
        0.2, unit="share 0-1", ge=0, le=1,
        description="Share of the troops in country that can back a standoff within a day where "
        "the confrontation is (quick-reaction forces and the Baghdad garrison).",
        source="Reasoning: of ~5,200 US troops in 2020 about a fifth were at Baghdad sites "
        "(embassy, Union III, the airport); the rest at al-Asad, Erbil and smaller bases.",
    )
    ground_multiplier: float = param(
        3.0, unit="personnel-equivalent per soldier", ge=0, le=100,
        description="What one committed US soldier is worth against militia fighters, in loyal-"
        "force equivalents (armour, ISR, firepower).",
        source="Reasoning; tuned with air_support so that full US intervention outweighs a "
        "150-strong KH muster and its backers about 3:1 (the v1 backing sweep).",
    )
    air_support: float = param(
        2000.0, unit="personnel-equivalent", ge=0, le=100_000,
        description="What US air cover (attack helicopters, drones) adds to a standoff with "
        "enough troops in country to base and direct it; it scales with them: × presence / "
        "(presence + 500) (backing.AIR_SUPPORT_HALF_PRESENCE; 91% at 5,200 troops, 0.2% with "
        "one soldier).",
        source="Reasoning: Apache and drone cover over Baghdad was the visible US tool in the Dec "
        "2019 embassy siege; tuned with ground_multiplier.",
    )
    backing_sensitivity: float = param(
        1.0, unit="1/index", ge=0, le=20,
        description="How strongly the US's state moves its chance to step in away from `backing` "
        "on the logit scale (logit p = logit(backing) + sensitivity × z, z = authority − ½ + "
        "E[partner holds] − ½ − expulsion pressure + US pressure; backing 0 and 1 stay exact).",
        source="Reasoning: Washington weighs the PM's standing and Iraqi demands to leave.",
    )
    prior_partner_resolve: float = param(
        0.5, unit="probability 0-1", ge=0, le=1,
        description="The US's initial belief (mean) that the government holds firm in a "
        "standoff; updated by every standoff's outcome.",
        source="Reasoning: an untested PM; even odds.",
    )
    prior_strength: float = param(
        4.0, unit="pseudo-observations", gt=0, le=1000,
        description="Weight of the US's prior about its partner.",
        source="Weak prior: a new PM.",
    )
    belief_memory_days: float = param(
        365.0, unit="days", ge=1, le=36500,
        description="Time constant over which the US's belief that its partner holds forgets "
        "(relaxes toward the prior).",
        source="Reasoning: as government.belief_memory_days; a new PM or administration is "
        "judged afresh.",
    )
    response_delay_days: int = param(
        0, unit="days", ge=0, le=30,
        description="When it does step in, the US does so within this many days of the standoff "
        "starting (uniform); 0 = on the first day.",
        source="The June muster was a one-night confrontation: support that counts comes at once.",
    )
    retaliation_threshold: int = param(
        1, unit="US casualties", ge=1, le=1000,
        description="US casualties in one attack that trigger a retaliatory strike decision.",
        source="US strikes of 29 Dec 2019 and 12 Mar 2020 both followed US deaths.",
    )
    retaliation_probability: float = param(
        0.9, unit="probability 0-1", ge=0, le=1,
        description="Chance that a triggering attack is answered with strikes, before the costs "
        "of escalation and expulsion pressure (see retaliation_restraint).",
        source="Both 2019-2020 fatal attacks were answered.",
    )
    retaliation_restraint: float = param(
        0.5, unit="share 0-1", ge=0, le=1,
        description="How much the risk of war and the pressure to expel US forces hold "
        "retaliation back: chance × (1 − restraint × (escalation + expulsion pressure) / 2).",
        source="Reasoning: after the 3 Jan 2020 strike and parliament's expulsion vote, "
        "Washington answered later attacks with fewer and more limited strikes.",
    )
    retaliation_delay_days: int = param(
        2, unit="days", ge=0, le=60,
        description="Days from the triggering attack to the strike.",
        source="K-1 27 Dec -> strikes 29 Dec; Taji 11 Mar -> strikes 12 Mar.",
    )
    strike_lethality: int = param(
        20, unit="fighters", ge=0, le=10_000,
        description="Militia fighters killed by one round of strikes.",
        source="The 29 Dec 2019 strikes killed 25 KH fighters.",
    )
    strike_cohesion_damage: float = param(
        0.05, unit="index", ge=0, le=1,
        description="Cohesion lost by the struck militia.",
        source="Reasoning: strikes on depots and command sites disrupt organisation.",
    )
    strike_disruption: float = param(
        0.3, unit="share 0-1", ge=0, le=1,
        description="Disruption of the struck militia's attack cells (weapons depots, launch "
        "teams), recovering over its disruption_recovery_days.",
        source="Reasoning: the Mar 2020 strikes hit KH weapons storage sites.",
    )
    strike_expulsion_pressure: float = param(
        0.15, unit="index", ge=0, le=1,
        description="Rise in parliamentary pressure to expel foreign forces after each strike.",
        source="Parliament voted to expel US forces on 5 Jan 2020, after the 3 Jan strike.",
    )
    step_in_expulsion_pressure: float = param(
        0.1, unit="index", ge=0, le=1,
        description="Rise in parliamentary pressure to expel foreign forces each time they "
        "visibly step in (a backing event).",
        source="Reasoning: the visible US actions of Dec 2019 - Jan 2020 brought the crowd at the "
        "embassy and the 5 Jan 2020 expulsion vote (Iraq's sovereignty backlash); an "
        "intervention at the government's side kills no Iraqis, so it weighs two thirds of a "
        "strike (strike_expulsion_pressure 0.15).",
    )
    casualty_tolerance: float = param(
        6.0, unit="cost units", gt=0, le=10_000,
        description="Political cost the US accepts before drawing down: remembered US casualties "
        "(1 unit each, fading over ~180 days) plus 10 units per unit of expulsion pressure.",
        source="Calibrated: at 2020 attack levels, drawdowns but no withdrawal within a year "
        "(5,200 -> 3,000 troops by Sep 2020); at three times that violence, withdrawal becomes "
        "likely.",
    )
    drawdown_share: float = param(
        0.4, unit="share 0-1", ge=0, le=1,
        description="Share of troops withdrawn in one drawdown.",
        source="5,200 -> 3,000 (announced Sep 2020): about 40%.",
    )
    drawdown_cooldown_days: int = param(
        60, unit="days", ge=1, le=3650,
        description="Minimum days between the US's staying decisions (a drawdown, or the review "
        "of a force at its withdrawal_floor).",
        source="Reasoning: drawdowns were announced months apart in 2020.",
    )
    withdrawal_floor: int = param(
        1000, unit="troops", ge=0, le=1_000_000,
        description="A drawdown stops at this many troops; a force at (or below) it leaves "
        "(full withdrawal) only if its political cost stays above tolerance from one decision "
        "to the next (drawdown_cooldown_days later).",
        source="Reasoning: a force too small to protect itself is withdrawn, by a further "
        "decision rather than as a side effect of a routine drawdown.",
    )
    expulsion_pressure: float = param(
        0.3, unit="index 0-1", ge=0, le=1,
        description="Initial parliamentary pressure to expel foreign forces (adds to the US's "
        "political cost; decays slowly, rises with each strike).",
        source="Parliament's non-binding expulsion vote of 5 Jan 2020.",
    )
    expulsion_vote_threshold: float = param(
        0.45, unit="index 0-1", ge=0, le=1,
        description="Expulsion pressure at which parliament votes to expel the foreign force "
        "(logged as expulsion_vote, once per run, while troops are in country); afterwards "
        "expulsion pressure decays toward expulsion_vote_floor instead of toward 0.",
        source="Reasoning: Iraq's parliament voted on 5 Jan 2020 after the strikes of 29 Dec "
        "2019 and 3 Jan 2020, not after the first alone: from a pre-crisis ~0.2, one strike "
        "(+0.15) stays below 0.45, the second passes it.",
    )
    expulsion_vote_floor: float = param(
        0.3, unit="index 0-1", ge=0, le=1,
        description="After parliament's expulsion vote, the level below which expulsion "
        "pressure no longer falls: the resolution stands and keeps the US's political cost up.",
        source="Reasoning: pressure stood at about 0.3 in May 2020, four months after the vote "
        "(the replay's initial value); the demand stayed on the agenda through the 2020-2021 "
        "strategic dialogue.",
    )
    redeploy_calm_share: float = param(
        0.25, unit="share 0-1", ge=0, le=1,
        description="After a drawdown, a day counts as calm when the political cost of staying "
        "is below this share of casualty_tolerance.",
        source="Reasoning: well below tolerance, so that the return is a decision taken in calm, "
        "not the oscillation of a cost hovering near tolerance.",
    )
    redeploy_after_days: int = param(
        365, unit="days", ge=1, le=36500,
        description="Calm days in a row after which a force below its authorised level (its "
        "starting presence) redeploys toward it (event 'redeploy').",
        source="Reasoning: a troop level is set in Washington's annual posture reviews; a "
        "drawdown forced by casualties is reconsidered after about a year without them (no "
        "Iraqi case of 2020-2023 reversed within that time; the 2014 return followed a full "
        "withdrawal, which the model keeps final).",
    )
    redeploy_share: float = param(
        0.5, unit="share 0-1", ge=0, le=1,
        description="Share of the gap to the authorised level that one redeployment closes.",
        source="Reasoning: forces return in steps, as they draw down.",
    )
    exposure_half: float = param(
        500.0, unit="troops", ge=0, le=1_000_000,
        description="Troops in country at which an attack that gets through exposes half its "
        "full lethality: mean US casualties = lethality × presence / (presence + exposure_half); "
        "casualties never exceed the troops in country, and those killed leave the presence.",
        source="Reasoning: in 2019-2020 ~5,200 US troops were spread over about ten sites, from a "
        "few hundred (K-1, al-Qaim) to ~2,000 (al-Asad); the deadly attacks (K-1 27 Dec 2019, "
        "Taji 11 Mar 2020) hit bases hosting hundreds to thousands. With fewer troops than one "
        "mid-size contingent most attacks fall on empty or skeleton sites; with many, a rocket "
        "can still hit only those near it (saturation).",
    )
    sites: list[Site] = Field(
        default_factory=lambda: [
            Site(name="bases", target_weight=3.0, interception=0.1, lethality=0.088),
            Site(name="embassy", target_weight=2.0, interception=0.0, lethality=0.033),
            Site(name="airport", target_weight=1.5, interception=0.0, lethality=0.033),
            Site(name="convoys", target_weight=3.5, interception=0.0, lethality=0.0),
        ],
        description="Sites hosting US forces that militias attack; per-site interception.",
    )

    @model_validator(mode="after")
    def _unique_sites(self) -> ForeignForces:
        _require_unique([s.name for s in self.sites], "foreign_forces.sites")
        return self

    @property
    def label(self) -> str:
        """How the texts of a run name the force, as a modifier (``short_name``, or derived as
        its description says): *US* in *US casualties*, *foreign* in *foreign forces*."""
        return self.short_name or ("US" if self.name == DEFAULT_FORCE else GENERIC_FORCE)


Action = Literal[tuple(event_schema.RULES)]  # type: ignore[valid-type]


class Escalation(Strict):
    """The escalation index (0 = calm, 1 = open conflict) and what moves it."""

    initial: float = param(
        0.2, unit="index 0-1", ge=0, le=1,
        description="Escalation at day 0.", source="Tense but below the Jan 2020 peak.",
    )
    decay: float = param(
        0.05, unit="1/day", ge=0, le=1,
        description="Daily relative decay of escalation toward calm.",
        source="Reasoning: tensions subsided within weeks after each 2020 spike.",
    )
    per_attack: float = param(
        0.03, unit="index", ge=0, le=1, description="Rise per militia attack.", source="Reasoning.",
    )
    per_casualty: float = param(
        0.1, unit="index", ge=0, le=1, description="Rise per US casualty.",
        source="US deaths drove the Dec 2019 and Mar 2020 escalations.",
    )
    per_strike: float = param(
        0.2, unit="index", ge=0, le=1, description="Rise per US strike.",
        source="The 29 Dec and 3 Jan strikes brought the crisis to its peak.",
    )
    per_clash: float = param(
        0.15, unit="index", ge=0, le=1, description="Rise per armed clash.", source="Reasoning.",
    )
    per_step_in: float = param(
        0.1, unit="index", ge=0, le=1,
        description="Rise per visible intervention of the foreign force (a backing event).",
        source="Reasoning: between a muster (0.05) and an armed clash (0.15): foreign troops "
        "confront a militia in its city without a round of strikes.",
    )
    per_muster: float = param(
        0.05, unit="index", ge=0, le=1, description="Rise per militia muster.", source="Reasoning.",
    )


ACTIONS: tuple[str, ...] = get_args(Action)


class ScriptedEvent(Strict):
    """An action forced on a given day (history replay or counterfactual)."""

    name: EntryName | None = Field(None, description="Optional id, so that a scenario extending this "
                             "one can override (or remove, with remove: true) the event.")
    day: int | None = Field(None, ge=0, description="Day of the run (0 = start_date).")
    date: dt.date | None = Field(None, description="Calendar date; alternative to day.")
    actor: str = Field(..., description="Who acts: government, patron, foreign_forces, a "
                       "militia name, or mediator (a third party brokering talks).")
    action: Action = Field(..., description="What happens: " + "; ".join(
        f"{name} ({rule.meaning})" for name, rule in event_schema.RULES.items())
        + ". `leverage-sim params events` and docs/scenarios.md list who may act and the "
        "figures of each.")
    target: str | None = Field(None, description="Militia or site the action is aimed at.")
    figures: dict[str, Any] = Field(default_factory=dict, description="Numbers for the action "
                                    "(typed per action; see docs/scenarios.md).")
    note: str = Field("", description="Historical note shown in the narrative.")

    @model_validator(mode="after")
    def _day_or_date(self) -> ScriptedEvent:
        if (self.day is None) == (self.date is None):
            raise ValueError("give exactly one of 'day' or 'date'")
        return self

    def typed_figures(self) -> Strict:
        """The figures as their action's typed schema (not for ``set``, whose figures are
        ``{path: value}``)."""
        return event_schema.parse_figures(self.action, self.figures)


class Scenario(Strict):
    """A complete scenario: actors, sites, scripted events and run settings."""

    name: Name = Field("unnamed", description="Scenario name (defaults to the file name).")
    question: str = Field("", description="The question this scenario asks, in one line.")
    start_date: dt.date = param(
        dt.date(2020, 5, 7), unit="date",
        description="Calendar date of day 0.",
        source="Al-Kadhimi took office on 7 May 2020.",
    )
    horizon_days: int = param(
        90, unit="days", ge=1, le=3650,
        description="Number of simulated days (one step per day).",
        source="Covers the June raid and the following month of attacks.",
    )
    seed: int = param(
        20200625, unit="integer", ge=0, le=2**63 - 1,
        description="Master seed; replication seeds are spawned from it.",
        source="Any fixed number; the raid's date for memorability.",
    )
    government: Government = Field(default_factory=Government)
    militias: list[Militia] = Field(..., min_length=1)
    patron: Patron = Field(default_factory=Patron)
    foreign_forces: ForeignForces = Field(default_factory=ForeignForces)
    escalation: Escalation = Field(default_factory=Escalation)
    events: list[ScriptedEvent] = Field(default_factory=list)

    _origin: tuple[str, ...] = PrivateAttr(default=())
    """The file the scenario was read from, then the extra folders its ``extends`` names were
    looked up in (:meth:`read_from`); empty for one built in Python."""

    _overrides: dict[str, Any] = PrivateAttr(default_factory=dict)
    """The overrides :func:`~leverage_sim.scenario.loader.load_scenario` applied to make this
    scenario ({path: value}, in order; :meth:`made_with`)."""

    def __eq__(self, other: object) -> bool:
        """Equal settings: where each was read from (:attr:`origin`) and the overrides that
        made it (:attr:`overrides`) do not count."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, as pydantic's own models

    @property
    def origin(self) -> tuple[str, ...]:
        """The file the scenario was read from, then the extra folders its ``extends`` names
        were looked up in; ``()`` if it was built in Python. Where its ``extends`` chain is
        followed from (:func:`leverage_sim.scenario.loader.scenario_lineage`)."""
        return self._origin

    def read_from(self, origin: tuple[str, ...]) -> Scenario:
        """This scenario, noting its :attr:`origin` (returned for chaining)."""
        self._origin = tuple(origin)
        return self

    @property
    def overrides(self) -> dict[str, Any]:
        """The overrides ({path: value}) applied when it was loaded, after those of the
        scenario it was loaded from; ``{}`` for one loaded without any or built in Python."""
        return dict(self._overrides)

    def made_with(self, overrides: dict[str, Any]) -> Scenario:
        """This scenario, noting the :attr:`overrides` that made it (returned for chaining):
        applying them again is then not needed, and would fail for one that renames a list
        entry (``militias[KH].name=KX``: no entry named KH is left)."""
        self._overrides = dict(overrides)
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        names = [m.name for m in self.militias]
        _require_unique(names, "militias")
        reserved = sorted(n for n in names
                          if name_key(n) in event_schema.ACTOR_KINDS - {"militia"})
        if reserved:
            raise ValueError(f"militias: {', '.join(reserved)} names another actor; scripted "
                             "events could not tell them apart, so give the militia another name")
        twice = sorted(n for n, k in Counter(e.name for e in self.events if e.name).items()
                       if k > 1)
        if twice:
            raise ValueError(f"events: {', '.join(map(repr, twice))} names more than one "
                             "event; an override (events[NAME]) or an extending file reaches "
                             "only one of them, so give each event its own name")
        dates = self.dates_problem()
        if dates:
            raise ValueError(dates)
        problems = self.combination_problems() + event_schema.check_events(self)
        if problems:
            raise Problems(problems)
        return self

    def dates_problem(self) -> str | None:
        """Why the run's days do not fit within :data:`TABLE_DATES`, or None."""
        first, last = TABLE_DATES
        if self.start_date < first:
            return (f"start_date {self.start_date} is before {first}, the first date a run's "
                    "tables can hold (pandas timestamps): choose a later start_date (a "
                    "scenario's dates need not be historical to run)")
        if (last - self.start_date).days < self.horizon_days:
            return (f"start_date {self.start_date} plus horizon_days {self.horizon_days} runs "
                    f"past {last}, the last date a run's tables can hold (pandas timestamps): "
                    "choose an earlier start_date or fewer days")
        return None

    def combination_problems(self) -> list[str]:
        """Rules across fields of the actors: checked for the file, and after each scripted
        ``set``."""
        problems = [f"militias[{m.name}].local_fighters ({m.local_fighters}) exceeds its "
                    f"fighters ({m.fighters}); its local fighters are part of all its fighters"
                    for m in self.militias if m.local_fighters > m.fighters]
        seats = self.government.parliament_seats
        problems += [f"militias[{m.name}].seats ({m.seats}) exceeds government.parliament_seats "
                     f"({seats}); a bloc's seats are part of the parliament's"
                     for m in self.militias if m.seats > seats]
        total = sum(m.patron_support_share for m in self.militias)
        if total > 1 + 1e-9:
            problems.append(f"militias[*].patron_support_share sum to {total:.2f}; they are "
                            "shares of the patron's support and must sum to at most 1")
        return problems

    def event_day(self, event: ScriptedEvent) -> int:
        """Day number (0 = start_date) on which a scripted event fires."""
        if event.day is not None:
            return event.day
        return (event.date - self.start_date).days

    def date_of(self, day: int) -> dt.date:
        """Calendar date of a day number."""
        return self.start_date + dt.timedelta(days=day)


def _require_unique(names: list[str], where: str) -> None:
    """Refuse names that are the same under :func:`leverage_sim.files.safe_text.name_key` (``KH``,
    ``kh``, ``K H``... would be told apart by nothing but case, spacing or width)."""
    keys = Counter(name_key(n) for n in names)
    dupes = [" = ".join(repr(n) for n in names if name_key(n) == k)
             for k, count in keys.items() if count > 1]
    if dupes:
        raise ValueError(f"{where}: names must be unique, also ignoring case, spacing, "
                         f"full-width forms and invisible characters; the same: "
                         f"{'; '.join(dupes)}")
