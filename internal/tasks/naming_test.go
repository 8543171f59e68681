package tasks

import (
	"regexp"
	"strings"
	"testing"
)

// hashSuffix matches the "-xxxxxxxx" a cut name ends with.
var hashSuffix = regexp.MustCompile(`-[0-9a-f]{8}$`)

func TestName(t *testing.T) {
	tests := []struct {
		name                             string
		source, stream, objective, level string
		index                            int
		want                             string
	}{
		{"first template has no suffix", "acme", "sales", "pipeline", "scale", 0, "acme-sales-pipeline-scale"},
		{"second template is numbered 2", "acme", "sales", "pipeline", "scale", 1, "acme-sales-pipeline-scale-2"},
		{"third template is numbered 3", "acme", "sales", "pipeline", "scale", 2, "acme-sales-pipeline-scale-3"},
		{"level is lowercased", "acme", "sales", "pipeline", "GrowingPains", 0, "acme-sales-pipeline-growingpains"},
		{"level is lowercased with an index", "acme", "support", "first-response", "HighPerformance", 3, "acme-support-first-response-highperformance-4"},
		{"stream and objective are kept as they are", "t.example", "it-ops", "uptime", "L1", 0, "t.example-it-ops-uptime-l1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Name(tt.source, tt.stream, tt.objective, tt.level, tt.index)
			if got != tt.want {
				t.Errorf("Name(%q, %q, %q, %q, %d) = %q, want %q", tt.source, tt.stream, tt.objective, tt.level, tt.index, got, tt.want)
			}
			if again := Name(tt.source, tt.stream, tt.objective, tt.level, tt.index); again != got {
				t.Errorf("Name is not deterministic: %q then %q", got, again)
			}
		})
	}
}

func TestNameDistinguishesIndexAndLevel(t *testing.T) {
	seen := map[string]string{}
	for _, level := range []string{"Startup", "GrowingPains", "Scale"} {
		for index := range 4 {
			n := Name("acme", "sales", "pipeline", level, index)
			id := level + "/" + string(rune('0'+index))
			if prev, ok := seen[n]; ok {
				t.Fatalf("Name %q given to both %s and %s", n, prev, id)
			}
			seen[n] = id
		}
	}
}

// checkCut asserts what every cut name must satisfy: within max, a hash
// suffix, and no '-' or '.' right before it.
func checkCut(t *testing.T, got string, max int) {
	t.Helper()
	if len(got) > max {
		t.Errorf("len(%q) = %d, want <= %d", got, len(got), max)
	}
	if !hashSuffix.MatchString(got) {
		t.Errorf("%q does not end with an 8-hex hash suffix", got)
		return
	}
	prefix := strings.TrimSuffix(got, got[len(got)-9:])
	if prefix == "" {
		t.Errorf("%q has nothing before its hash", got)
		return
	}
	if last := prefix[len(prefix)-1]; last == '-' || last == '.' {
		t.Errorf("%q has %q right before its hash", got, last)
	}
}

func TestNameLong(t *testing.T) {
	long := func(c string, n int) string { return strings.Repeat(c, n) }
	// The cut keeps maxNameLength-hashLength-1 = 244 characters; these
	// sources put '-' and '.' right at the cut.
	dashAtCut := long("a", 243) + "-" + long("b", 20)
	dotsAtCut := long("a", 241) + ".-." + long("b", 20)
	tests := []struct {
		name                             string
		source, stream, objective, level string
		index                            int
	}{
		{"long source", long("s", 253), "sales", "pipeline", "Scale", 0},
		{"long everything", long("s", 253), long("t", 63), long("o", 63), long("L", 63), 5},
		{"dash at the cut", dashAtCut, "sales", "pipeline", "Scale", 0},
		{"dots and dash at the cut", dotsAtCut, "sales", "pipeline", "Scale", 0},
		{"one over the limit", long("s", 254-len("-a-b-c")), "a", "b", "c", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Name(tt.source, tt.stream, tt.objective, tt.level, tt.index)
			checkCut(t, got, maxNameLength)
			if again := Name(tt.source, tt.stream, tt.objective, tt.level, tt.index); again != got {
				t.Errorf("Name is not deterministic: %q then %q", got, again)
			}
		})
	}

	t.Run("exactly 253 is kept", func(t *testing.T) {
		source := long("s", 253-len("-a-b-c"))
		got := Name(source, "a", "b", "c", 0)
		if want := source + "-a-b-c"; got != want {
			t.Errorf("Name = %q, want it uncut (%d chars)", got, len(want))
		}
	})

	t.Run("cut names stay unique", func(t *testing.T) {
		source := long("s", 253)
		seen := map[string]string{}
		add := func(id, n string) {
			t.Helper()
			checkCut(t, n, maxNameLength)
			if prev, ok := seen[n]; ok {
				t.Errorf("cut name %q given to both %s and %s", n, prev, id)
			}
			seen[n] = id
		}
		// All of these share the first 244 characters, so only the hash
		// tells them apart.
		for _, stream := range []string{"sales", "support", "it-ops"} {
			for _, level := range []string{"Startup", "GrowingPains", "Scale"} {
				for index := range 3 {
					add(stream+"/"+level+"/"+string(rune('0'+index)), Name(source, stream, "pipeline", level, index))
				}
			}
		}
		add("dash", Name(dashAtCut, "sales", "pipeline", "Scale", 0))
		add("dots", Name(dotsAtCut, "sales", "pipeline", "Scale", 0))
	})
}

func TestLabelValue(t *testing.T) {
	tests := []struct {
		name, in string
		cut      bool
	}{
		{"empty", "", false},
		{"short", "acme", false},
		{"exactly 63", strings.Repeat("a", 63), false},
		{"64 is cut", strings.Repeat("a", 64), true},
		{"253 is cut", strings.Repeat("a", 253), true},
		{"dot at the cut", strings.Repeat("a", 53) + "." + strings.Repeat("b", 40), true},
		{"dash at the cut", strings.Repeat("a", 52) + "--" + strings.Repeat("b", 40), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LabelValue(tt.in)
			if len(got) > maxLabelLength {
				t.Errorf("len(LabelValue) = %d, want <= %d", len(got), maxLabelLength)
			}
			if !tt.cut {
				if got != tt.in {
					t.Errorf("LabelValue(%q) = %q, want it unchanged", tt.in, got)
				}
				return
			}
			checkCut(t, got, maxLabelLength)
			if !strings.HasPrefix(tt.in, strings.TrimSuffix(got, got[len(got)-9:])) {
				t.Errorf("LabelValue(%q) = %q does not keep the start of the value", tt.in, got)
			}
			if again := LabelValue(tt.in); again != got {
				t.Errorf("LabelValue is not deterministic: %q then %q", got, again)
			}
		})
	}

	t.Run("cut values stay unique", func(t *testing.T) {
		base := strings.Repeat("x", 70)
		a, b := LabelValue(base+"-a"), LabelValue(base+"-b")
		if a == b {
			t.Errorf("LabelValue gives %q to two different values", a)
		}
	})
}

func TestDisambiguate(t *testing.T) {
	k1 := Key{Stream: "a", Objective: "b-c", Level: "Scale"}
	k2 := Key{Stream: "a-b", Objective: "c", Level: "Scale"}
	if Name("s", k1.Stream, k1.Objective, k1.Level, 0) != Name("s", k2.Stream, k2.Objective, k2.Level, 0) {
		t.Fatal("test premise: the two keys should share a plain name")
	}
	n := Name("s", k1.Stream, k1.Objective, k1.Level, 0)
	d1, d2 := disambiguate(n, k1, 0), disambiguate(n, k2, 0)
	if d1 == d2 || d1 == n || d2 == n {
		t.Errorf("disambiguate gave %q and %q for plain name %q", d1, d2, n)
	}
	if disambiguate(n, k1, 0) == disambiguate(n, k1, 1) {
		t.Error("disambiguate ignores the template index")
	}
	long := Name(strings.Repeat("s", 253), k1.Stream, k1.Objective, k1.Level, 0)
	checkCut(t, disambiguate(long, k1, 0), maxNameLength)
	edge := strings.Repeat("s", maxNameLength-9-1) + "-x" // cut lands on the dash
	checkCut(t, disambiguate(edge, k1, 0), maxNameLength)
}
