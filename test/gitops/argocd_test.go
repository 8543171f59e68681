package gitops

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

var (
	healthScript  = filepath.Join("..", "..", "config", "argocd", "health.lua")
	argocdCMPatch = filepath.Join("..", "..", "config", "argocd", "argocd-cm-patch.yaml")
	readme        = filepath.Join("..", "..", "README.md")
)

// argoHealth is what a health.lua returns.
type argoHealth struct {
	Status  health
	Message string
}

// runHealthLua runs a health script the way Argo CD's util/lua does: the
// object as the global obj, only the package, base and table libraries
// open (Argo CD's default, useOpenLibs false; it adds a reduced os library
// the script does not use), and the returned table read as status and
// message.
func runHealthLua(script string, obj *unstructured.Unstructured) (argoHealth, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), Protect: true}, lua.LString(lib.name)); err != nil {
			return argoHealth{}, err
		}
	}
	l.SetGlobal("obj", toLua(l, obj.Object))
	if err := l.DoString(script); err != nil {
		return argoHealth{}, err
	}
	ret, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return argoHealth{}, fmt.Errorf("health.lua returned %s, not a table", l.Get(-1).Type())
	}
	st, _ := ret.RawGetString("status").(lua.LString)
	msg, _ := ret.RawGetString("message").(lua.LString)
	switch h := health(st); h {
	case healthy, progressing, degraded, "Suspended":
		return argoHealth{Status: h, Message: string(msg)}, nil
	default:
		return argoHealth{}, fmt.Errorf("health.lua returned status %q, which Argo CD reads as Unknown", st)
	}
}

// toLua converts an unstructured value as Argo CD's decodeValue does.
func toLua(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for k, item := range v {
			t.RawSetH(lua.LString(k), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The argocd-cm patch inlines health.lua: the script under the group's
// wildcard key is the file, byte for byte, so the two cannot drift.
func TestArgoCDPatchInlinesHealthScript(t *testing.T) {
	var cm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string
		Metadata   struct{ Name, Namespace string }
		Data       map[string]string
	}
	if err := yaml.UnmarshalStrict([]byte(readFile(t, argocdCMPatch)), &cm); err != nil {
		t.Fatal(err)
	}
	if cm.Kind != "ConfigMap" || cm.Metadata.Name != "argocd-cm" || cm.Metadata.Namespace != "argocd" {
		t.Fatalf("%s patches %s %s/%s, not ConfigMap argocd/argocd-cm", argocdCMPatch, cm.Kind, cm.Metadata.Namespace, cm.Metadata.Name)
	}
	// Argo CD reads resource.customizations as a map of group/kind keys,
	// wildcards allowed, to overrides with a health.lua.
	var overrides map[string]struct {
		HealthLua string `json:"health.lua"`
	}
	if err := yaml.UnmarshalStrict([]byte(cm.Data["resource.customizations"]), &overrides); err != nil {
		t.Fatal(err)
	}
	if len(overrides) != 1 {
		t.Fatalf("resource.customizations has %d entries, want only growth.scaleup.io/*", len(overrides))
	}
	if got, want := overrides["growth.scaleup.io/*"].HealthLua, readFile(t, healthScript); got != want {
		t.Errorf("the health.lua inlined in %s differs from %s:\n%s", argocdCMPatch, healthScript, firstDifference(got, want))
	}
}

// The README shows the argocd-cm patch as it is in config/argocd, from its
// first line of YAML on.
func TestREADMEShowsTheArgoCDPatch(t *testing.T) {
	patch := readFile(t, argocdCMPatch)
	body := patch[strings.Index(patch, "apiVersion:"):]
	if !strings.Contains(readFile(t, readme), "```yaml\n"+body+"```\n") {
		t.Errorf("README.md has no yaml block with %s from its apiVersion on", argocdCMPatch)
	}
}

// The script uses nothing Argo CD leaves out, and says something for an
// object that is not of this group's shape at all.
func TestHealthScriptOnOddObjects(t *testing.T) {
	script := readFile(t, healthScript)
	for name, obj := range map[string]map[string]any{
		"no metadata.generation":  {"status": map[string]any{"conditions": []any{}}},
		"status without anything": {"metadata": map[string]any{"generation": int64(1)}, "status": map[string]any{}},
	} {
		got, err := runHealthLua(script, &unstructured.Unstructured{Object: obj})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Status != progressing || got.Message != newMessage {
			t.Errorf("%s: got %+v, want Progressing: %s", name, got, newMessage)
		}
	}
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
