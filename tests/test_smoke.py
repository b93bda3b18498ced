import leverage_sim as ls


def test_replay_runs():
    res = ls.run("june_2020_replay", replications=2, seed=1)
    assert len(res.summary) == 2
    assert set(res.events["action"]) >= {"raid", "muster"}
