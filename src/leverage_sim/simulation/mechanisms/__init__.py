"""The model's mechanisms, one module each, in the order of the design brief:

1. :mod:`.enforcement`  — whether and whom to raid; raid → arrests
2. :mod:`.intimidation` — muster, public threats, allies joining
3. :mod:`.standoff`     — hold firm / relent (a negotiated transfer) / clash under uncertain
   foreign backing; :mod:`.backing` — what US backing is worth, whether the US steps in
4. :mod:`.attacks`      — each militia's attack intensity; interception, casualties
5. :mod:`.retaliation`  — strikes as a costly decision; :mod:`.withdrawal` — drawdown under cost;
   :mod:`.redeploy` — troops returning after a long calm
6. :mod:`.beliefs`      — learning, reputation and recovery (beliefs, authority, autonomy, morale)
7. :mod:`.patronage`    — the patron's push: backlash or restraint, support across militias
8. :mod:`.operation`    — operations and lasting clashes: attrition, desertion, the militia
   leaving the streets, the patron brokering a ceasefire, the share of forces that fights

Each function takes plain numbers (and a ``numpy.random.Generator`` where it draws), so it can
be tested alone; agents call them with their own state and beliefs, the model orders the day
(:mod:`leverage_sim.simulation.standoffs` plays a standoff's day).
"""
