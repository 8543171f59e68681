package main

import "testing"

func TestShardSelector(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      bool
	}{
		{"", "", false},
		{"sharding.fluxcd.io/key=shard1", "sharding.fluxcd.io/key=shard1", false},
		{"!sharding.fluxcd.io/key", "!sharding.fluxcd.io/key", false},
		{"sharding.fluxcd.io/key in (a,b)", "sharding.fluxcd.io/key in (a,b)", false},
		{"sharding.fluxcd.io/key=a b", "", true},
	} {
		sel, err := shardSelector(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("shardSelector(%q) error %v, want error %v", tc.in, err, tc.err)
			continue
		}
		got := ""
		if sel != nil {
			got = sel.String()
		}
		if got != tc.want {
			t.Errorf("shardSelector(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLeaderElectionIDPerShard(t *testing.T) {
	none, one, two := leaderElectionID(""), leaderElectionID("sharding.fluxcd.io/key=shard1"), leaderElectionID("!sharding.fluxcd.io/key")
	if none != "scaleup-operator.growth.scaleup.io" {
		t.Errorf("unsharded lease %q changed", none)
	}
	if one == none || two == none || one == two || leaderElectionID("sharding.fluxcd.io/key=shard1") != one {
		t.Errorf("leases %q %q %q: each shard needs one of its own, stable across restarts", none, one, two)
	}
}
