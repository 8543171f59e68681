package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The charts are inline SVG written here, so the page needs nothing from
// the network. Every text in them goes through html.EscapeString.

func esc(s string) string { return html.EscapeString(s) }

// levelChart draws a business's level over its history (one step per
// entry, the current status last) against a dashed target line. Without
// the model's levels it draws the score instead.
func levelChart(levels []string, t *v1alpha1.MaturityTarget) template.HTML {
	const w, h, pad = 150.0, 44.0, 6.0
	type point struct {
		y     float64
		label string
	}
	var pts []point
	top, target := 0.0, -1.0
	if len(levels) > 0 {
		top = float64(len(levels))
		target = float64(slices.Index(levels, t.Spec.TargetLevel) + 1)
		for _, e := range t.Status.History {
			pts = append(pts, point{float64(slices.Index(levels, e.Level) + 1), e.Time.UTC().Format("2006-01-02") + " " + orDash(e.Level)})
		}
		pts = append(pts, point{float64(slices.Index(levels, t.Status.CurrentLevel) + 1), "now " + orDash(t.Status.CurrentLevel)})
	} else {
		if t.Status.Score != nil {
			top, target = float64(t.Status.Score.Total), float64(t.Status.Score.Total)
		}
		for _, e := range t.Status.History {
			pts = append(pts, point{float64(e.Passed), fmt.Sprintf("%s %d passed", e.Time.UTC().Format("2006-01-02"), e.Passed)})
			top = max(top, float64(e.Passed))
		}
	}
	top = max(top, 1)
	y := func(v float64) float64 { return h - pad - v/top*(h-2*pad) }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart level" viewBox="0 0 %g %g" width="%g" height="%g" role="img">`, w, h, w, h)
	fmt.Fprintf(&s, `<title>%s: level over the last %d changes, target %s</title>`, esc(t.Spec.Business), len(t.Status.History), esc(t.Spec.TargetLevel))
	if target >= 0 {
		fmt.Fprintf(&s, `<line class="target" x1="%g" y1="%.1f" x2="%g" y2="%.1f"/>`, pad, y(target), w-pad, y(target))
	}
	if len(pts) > 0 {
		step := (w - 2*pad) / float64(max(len(pts)-1, 1))
		var path strings.Builder
		for i, p := range pts {
			x := pad + float64(i)*step
			if len(pts) == 1 {
				x = w - pad
			}
			if i > 0 {
				// A step: the level holds until the next change.
				fmt.Fprintf(&path, " H%.1f", x)
			} else {
				fmt.Fprintf(&path, "M%.1f %.1f", x, y(p.y))
			}
			fmt.Fprintf(&path, " V%.1f", y(p.y))
		}
		fmt.Fprintf(&s, `<path class="line" d="%s"/>`, path.String())
		last := pts[len(pts)-1]
		fmt.Fprintf(&s, `<circle class="dot" cx="%g" cy="%.1f" r="3"><title>%s</title></circle>`, w-pad, y(last.y), esc(last.label))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) //nolint:gosec // built above, every text escaped
}

// capacityChart draws the heroes needed now and at each coming peak as
// columns against the team (a line): the part above the line is missing.
func capacityChart(p Plan) template.HTML {
	const colW, h, pad, top, labelH = 64.0, 124.0, 6.0, 16.0, 28.0
	type col struct {
		name string
		need int32
	}
	cols := make([]col, 0, 1+len(p.Peaks))
	cols = append(cols, col{"now", p.RequiredNow})
	for _, pk := range p.Peaks {
		cols = append(cols, col{pk.Name, pk.Required})
	}
	most := p.Heroes
	for _, c := range cols {
		most = max(most, c.need)
	}
	most = max(most, 1)
	w := pad*2 + colW*float64(len(cols))
	plot := h - labelH - top
	y := func(v int32) float64 { return top + plot - float64(v)/float64(most)*plot }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart capacity" viewBox="0 0 %g %g" width="%g" height="%g" role="img">`, w, h, w, h)
	fmt.Fprintf(&s, `<title>%s: heroes needed now and at each peak, against %d on the team</title>`, esc(p.Business), p.Heroes)
	for i, c := range cols {
		x := pad + float64(i)*colW + 10
		bw := colW - 20
		covered := min(c.need, p.Heroes)
		fmt.Fprintf(&s, `<rect class="covered" x="%g" y="%.1f" width="%g" height="%.1f"><title>%s: %d needed</title></rect>`,
			x, y(covered), bw, y(0)-y(covered), esc(c.name), c.need)
		if c.need > p.Heroes {
			fmt.Fprintf(&s, `<rect class="missing" x="%g" y="%.1f" width="%g" height="%.1f"><title>%s: %d missing</title></rect>`,
				x, y(c.need), bw, y(p.Heroes)-y(c.need), esc(c.name), c.need-p.Heroes)
		}
		fmt.Fprintf(&s, `<text x="%g" y="%.1f" text-anchor="middle">%d</text>`, x+bw/2, y(c.need)-2, c.need)
		fmt.Fprintf(&s, `<text class="label" x="%g" y="%g" text-anchor="middle">%s</text>`, x+bw/2, h-labelH/2, esc(shorten(c.name, 10)))
	}
	fmt.Fprintf(&s, `<line class="team" x1="%g" y1="%.1f" x2="%g" y2="%.1f"><title>%d heroes on the team</title></line>`,
		pad, y(p.Heroes), w-pad, y(p.Heroes), p.Heroes)
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) //nolint:gosec // built above, every text escaped
}

// bar draws n out of top as a horizontal bar.
func bar(n, top int32, class string) template.HTML {
	const w, h = 160.0, 14.0
	fill := 0.0
	if top > 0 {
		fill = float64(n) / float64(top) * w
	}
	return template.HTML(fmt.Sprintf( //nolint:gosec // numbers and a fixed class only
		`<svg class="bar %s" viewBox="0 0 %g %g" width="%g" height="%g"><rect class="track" width="%g" height="%g"/><rect class="fill" width="%.1f" height="%g"/></svg>`,
		esc(class), w, h, w, h, w, h, fill, h))
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
