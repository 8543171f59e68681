package dashboard

import (
	"embed"
	"html/template"
	"io"
	"io/fs"
)

// web holds everything the page needs: it works without a network.
//
//go:embed web
var web embed.FS

// Static is the page's stylesheet and script, served under /static/.
var Static, _ = fs.Sub(web, "web")

var page = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"bar": func(n, top any, class string) template.HTML { return bar(toInt32(n), toInt32(top), class) },
}).ParseFS(web, "web/page.html", "web/view.html"))

func toInt32(v any) int32 {
	switch n := v.(type) {
	case int32:
		return n
	case int:
		return int32(n) //nolint:gosec // counts of objects
	}
	return 0
}

// Render writes the whole page.
func Render(w io.Writer, v View) error {
	return page.ExecuteTemplate(w, "page.html", v)
}

// RenderView writes the part of the page that changes (what the script
// reloads on each event).
func RenderView(w io.Writer, v View) error {
	return page.ExecuteTemplate(w, "view", v)
}
