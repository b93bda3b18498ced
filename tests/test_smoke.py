import leverage_sim as ls


def test_replay_runs():
    """The replay runs end to end: every replication raids, and KH musters in some (with the
    shipped posterior's draws a muster is a chance outcome, not a certainty)."""
    res = ls.run("june_2020_replay", replications=8, seed=1)
    assert len(res.summary) == 8
    events = res.events
    assert events.loc[events["action"] == "raid", "replication"].nunique() == 8
    assert "muster" in set(events["action"])
