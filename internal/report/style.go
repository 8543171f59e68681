// Package report renders what the operator wrote into its objects' status
// as text for people: the maturity matrix of a business, the explanation of
// one objective, the support plan's demand chart and the partner funnel.
// Every function takes typed objects, the instant to compute ages and due
// dates from, and a writer; none reads a clock or a cluster, so each
// rendering is a pure function of its inputs and golden-tested.
package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Options are what every rendering needs besides its objects.
type Options struct {
	// Now is the instant ages, due dates and "overdue" are computed from.
	Now time.Time
	// Color turns on ANSI colours.
	Color bool
}

// ANSI SGR codes of the palette.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrGreen  = "\x1b[32m"
	sgrYellow = "\x1b[33m"
	sgrCyan   = "\x1b[36m"
)

// palette wraps text in colours when they are on; with them off it returns
// the text unchanged, so the plain rendering never holds an escape code.
type palette struct{ on bool }

func (p palette) wrap(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + sgrReset
}

func (p palette) bold(s string) string   { return p.wrap(sgrBold, s) }
func (p palette) dim(s string) string    { return p.wrap(sgrDim, s) }
func (p palette) red(s string) string    { return p.wrap(sgrRed, s) }
func (p palette) green(s string) string  { return p.wrap(sgrGreen, s) }
func (p palette) yellow(s string) string { return p.wrap(sgrYellow, s) }
func (p palette) cyan(s string) string   { return p.wrap(sgrCyan, s) }

// pad left-aligns s in width runes; colour is applied after padding, so
// escape codes never count as width.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// padWith pads s to width and colours only s itself, so no escape code
// wraps the padding.
func padWith(s string, width int, colour func(string) string) string {
	return colour(s) + pad("", width-utf8.RuneCountInString(s))
}

// width is the widest of ss, in runes.
func width(ss ...string) int {
	w := 0
	for _, s := range ss {
		w = max(w, utf8.RuneCountInString(s))
	}
	return w
}

// age renders how long before now t was, in the largest whole unit: "3d",
// "5h", "12m"; a time after now (a clock skew) is "0m".
func age(now time.Time, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "0m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// until renders how far after now t is, in whole days ("in 12d", "today",
// "3d ago").
func until(now, t time.Time) string {
	days := int(math.Floor(t.Sub(now).Hours() / 24))
	switch {
	case t.Sub(now) >= 0 && days == 0:
		return "today"
	case days > 0:
		return fmt.Sprintf("in %dd", days)
	}
	return fmt.Sprintf("%dd ago", -days)
}

// date renders a day in UTC, the way the operator writes timestamps.
func date(t metav1.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

// num renders a float in its shortest form: 4, 6.5, 0.35.
func num(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// percent renders a rate (0.55) as "55%".
func percent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + "%"
}

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// bar is a horizontal bar of n eighths-resolution cells for value out of
// full, at most cells wide.
func bar(value, full float64, cells int) string {
	if full <= 0 || value <= 0 {
		return ""
	}
	eighths := int(math.Round(min(value/full, 1) * float64(cells*8)))
	s := strings.Repeat("█", eighths/8)
	if r := eighths % 8; r > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[r-1])
	}
	return s
}

// writeTable writes rows in columns as wide as their widest cell: the first
// row, the header, in bold; every other cell in the colour colourOf gives
// it (nil: plain). Each line starts with indent, cells are separated by sep
// and trailing blanks are cut.
func writeTable(s *strings.Builder, p palette, rows [][]string, indent, sep string, colourOf func(row, col int) func(string) string) {
	if len(rows) == 0 {
		return
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], width(c))
		}
	}
	for n, r := range rows {
		line := indent
		for i, c := range r {
			colour := func(s string) string { return s }
			if n == 0 {
				colour = p.bold
			} else if f := colourOf(n, i); f != nil {
				colour = f
			}
			if i > 0 {
				line += sep
			}
			line += padWith(c, widths[i], colour)
		}
		s.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}
