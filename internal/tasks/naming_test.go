package tasks

import (
	"regexp"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

// hashSuffix matches the "-xxxxxxxx" a cut name ends with.
var hashSuffix = regexp.MustCompile(`-[0-9a-f]{8}$`)

func TestName(t *testing.T) {
	tests := []struct {
		name                             string
		source, stream, objective, level string
		index                            int
		title                            string
		want                             string
	}{
		{"first template has no suffix", "acme", "sales", "pipeline", "scale", 0, "Build a CRM", "acme-sales-pipeline-scale"},
		{"second template adds its slug", "acme", "sales", "pipeline", "scale", 1, "Build a CRM", "acme-sales-pipeline-scale-build-a-crm"},
		{"third template adds its slug", "acme", "sales", "pipeline", "scale", 2, "Forecast, weekly!", "acme-sales-pipeline-scale-forecast-weekly"},
		{"level is lowercased", "acme", "sales", "pipeline", "GrowingPains", 0, "", "acme-sales-pipeline-growingpains"},
		{"level is lowercased with a slug", "acme", "support", "first-response", "HighPerformance", 3, "Staffing plan for peak seasons",
			"acme-support-first-response-highperformance-staffing-plan-for-peak-seasons"},
		{"stream and objective are kept as they are", "t.example", "it-ops", "uptime", "L1", 0, "", "t.example-it-ops-uptime-l1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Key{Stream: tt.stream, Objective: tt.objective, Level: tt.level}
			got := Name(tt.source, k, tt.index, tt.title)
			if got != tt.want {
				t.Errorf("Name(%q, %+v, %d, %q) = %q, want %q", tt.source, k, tt.index, tt.title, got, tt.want)
			}
			if again := Name(tt.source, k, tt.index, tt.title); again != got {
				t.Errorf("Name is not deterministic: %q then %q", got, again)
			}
			if errs := validation.IsDNS1123Subdomain(got); len(errs) > 0 {
				t.Errorf("Name %q is not a DNS-1123 subdomain: %v", got, errs)
			}
		})
	}
}

// TestNameFirstTemplateKeepsItsName: the first template's name does not
// depend on its title, so tasks created before slugs keep their names.
func TestNameFirstTemplateKeepsItsName(t *testing.T) {
	k := Key{Stream: "sales", Objective: "pipeline", Level: "Scale"}
	if a, b := Name("acme", k, 0, "Build a CRM"), Name("acme", k, 0, "Adopt a CRM"); a != b || a != "acme-sales-pipeline-scale" {
		t.Errorf("first template names %q and %q, want both acme-sales-pipeline-scale", a, b)
	}
	if a, b := Name("acme", k, 1, "Build a CRM"), Name("acme", k, 1, "Adopt a CRM"); a == b {
		t.Errorf("two later templates with different titles share %q", a)
	}
}

func TestNameDistinguishesTitleAndLevel(t *testing.T) {
	seen := map[string]string{}
	for _, level := range []string{"Startup", "GrowingPains", "Scale"} {
		for index, title := range []string{"Build a CRM", "Hire", "Train the team", "Measure"} {
			n := Name("acme", Key{Stream: "sales", Objective: "pipeline", Level: level}, index, title)
			id := level + "/" + title
			if prev, ok := seen[n]; ok {
				t.Fatalf("Name %q given to both %s and %s", n, prev, id)
			}
			seen[n] = id
		}
	}
}

func TestSlug(t *testing.T) {
	long := strings.Repeat("word ", 30)
	tests := []struct {
		title, want string
	}{
		{"Build a CRM", "build-a-crm"},
		{"  Shared inbox -- with SLAs!  ", "shared-inbox-with-slas"},
		{"24/7 on-call", "24-7-on-call"},
		{"Café für Ümlaute", "caf-f-r-mlaute"},
		{"ALL CAPS", "all-caps"},
		{"already-a-slug", "already-a-slug"},
	}
	for _, tt := range tests {
		if got := Slug(tt.title); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
	for _, title := range []string{"", "!!!", "日本語のタイトル", long, long + "x", strings.Repeat("-", 100)} {
		got := Slug(title)
		if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
			t.Errorf("Slug(%q) = %q is not a DNS label: %v", title, got, errs)
		}
		if again := Slug(title); again != got {
			t.Errorf("Slug(%q) is not deterministic: %q then %q", title, got, again)
		}
	}
	if Slug(long) == Slug(long+"x") {
		t.Errorf("two long titles cut to the same slug %q", Slug(long))
	}
	for _, title := range []string{"", "!!!", "日本語のタイトル"} {
		if got := Slug(title); !regexp.MustCompile(`^project-[0-9a-f]{8}$`).MatchString(got) {
			t.Errorf("Slug(%q) = %q, want project-<hash>", title, got)
		}
	}
	if Slug("!!!") == Slug("???") {
		t.Errorf("two titles without letters share the slug %q", Slug("!!!"))
	}
}

func TestMeasurementName(t *testing.T) {
	if got := MeasurementName("acme"); got != "acme-missing-metrics" {
		t.Errorf("MeasurementName(acme) = %q", got)
	}
	checkCut(t, MeasurementName(strings.Repeat("s", 253)), maxNameLength)
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
		title                            string
	}{
		{"long source", long("s", 253), "sales", "pipeline", "Scale", 0, ""},
		{"long everything", long("s", 253), long("t", 63), long("o", 63), long("L", 63), 5, long("Title ", 33)},
		{"long title", "acme", "sales", "pipeline", "Scale", 1, long("Title ", 33)},
		{"dash at the cut", dashAtCut, "sales", "pipeline", "Scale", 0, ""},
		{"dots and dash at the cut", dotsAtCut, "sales", "pipeline", "Scale", 0, ""},
		{"one over the limit", long("s", 254-len("-a-b-c")), "a", "b", "c", 0, ""},
		{"one over the limit with a slug", long("s", 254-len("-a-b-c-d")), "a", "b", "c", 1, "D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Key{Stream: tt.stream, Objective: tt.objective, Level: tt.level}
			got := Name(tt.source, k, tt.index, tt.title)
			checkCut(t, got, maxNameLength)
			if again := Name(tt.source, k, tt.index, tt.title); again != got {
				t.Errorf("Name is not deterministic: %q then %q", got, again)
			}
		})
	}

	t.Run("exactly 253 is kept", func(t *testing.T) {
		source := long("s", 253-len("-a-b-c"))
		got := Name(source, Key{"a", "b", "c"}, 0, "")
		if want := source + "-a-b-c"; got != want {
			t.Errorf("Name = %q, want it uncut (%d chars)", got, len(want))
		}
		source = long("s", 253-len("-a-b-c-d"))
		got = Name(source, Key{"a", "b", "c"}, 1, "D")
		if want := source + "-a-b-c-d"; got != want {
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
				for index, title := range []string{"", "Hire", "Train"} {
					add(stream+"/"+level+"/"+title, Name(source, Key{stream, "pipeline", level}, index, title))
				}
			}
		}
		add("dash", Name(dashAtCut, Key{"sales", "pipeline", "Scale"}, 0, ""))
		add("dots", Name(dotsAtCut, Key{"sales", "pipeline", "Scale"}, 0, ""))
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
	if Name("s", k1, 0, "") != Name("s", k2, 0, "") {
		t.Fatal("test premise: the two keys should share a plain name")
	}
	n := Name("s", k1, 0, "")
	d1, d2 := disambiguate(n, k1, 0), disambiguate(n, k2, 0)
	if d1 == d2 || d1 == n || d2 == n {
		t.Errorf("disambiguate gave %q and %q for plain name %q", d1, d2, n)
	}
	if disambiguate(n, k1, 0) == disambiguate(n, k1, 1) {
		t.Error("disambiguate ignores the template index")
	}
	long := Name(strings.Repeat("s", 253), k1, 0, "")
	checkCut(t, disambiguate(long, k1, 0), maxNameLength)
	edge := strings.Repeat("s", maxNameLength-9-1) + "-x" // cut lands on the dash
	checkCut(t, disambiguate(edge, k1, 0), maxNameLength)
}
