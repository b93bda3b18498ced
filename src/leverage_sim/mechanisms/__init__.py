"""The model's mechanisms, one module each, in the order of the design brief:

1. :mod:`.enforcement`  — raid → arrests
2. :mod:`.intimidation` — muster, public threats, allies joining
3. :mod:`.standoff`     — hold firm / relent / clash under uncertain foreign backing
4. :mod:`.attacks`      — attacks on foreign-force sites, interception, casualties
5. :mod:`.retaliation`  — strikes and their backlash; :mod:`.withdrawal` — drawdown under cost
6. :mod:`.beliefs`      — learning and reputation (beliefs, authority, autonomy, escalation)

Each function takes plain numbers (and a ``numpy.random.Generator`` where it draws), so it can
be tested alone; agents and the model call them.
"""
