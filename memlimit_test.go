package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		container, gomemlimit string
		want                  int64
		ok                    bool
	}{
		{"536870912", "", 469762048, true},  // 512 MiB: 64 MiB left for the binary and the rest
		{"268435456", "", 201326592, true},  // 256 MiB: 192 MiB
		{"1073741824", "", 966367642, true}, // 1 GiB: 10% left
		{"104857600", "", 52428800, true},   // 100 MiB: never less than half
		{"536870912", "400MiB", 0, false},   // an explicit GOMEMLIMIT wins
		{"", "", 0, false},
		{"512Mi", "", 0, false},               // not bytes: leave the runtime alone
		{"0", "", 0, false},                   // no limit
		{"9223372036854775807", "", 0, false}, // unlimited container
		{"-1", "", 0, false},
	} {
		got, ok := memoryLimit(tc.container, tc.gomemlimit)
		if got != tc.want || ok != tc.ok {
			t.Errorf("memoryLimit(%q, %q) = %d, %v; want %d, %v", tc.container, tc.gomemlimit, got, ok, tc.want, tc.ok)
		}
	}
}
