package dashboard

import (
	"strings"
	"testing"
)

// A viewer of one namespace's targets gets the page of what they may read,
// with the kinds they may not list named as forbidden, never an error page.
func TestViewerSeesForbiddenKindsOnThePage(t *testing.T) {
	page := get(t, serve(t, viewer, "acme")+"/")
	for _, want := range []string{
		"Acme Outdoor Ltd", `id="biz_acme_acme-shop"`,
		"MaturityModels (cluster-scoped): levels show by name only: forbidden, you may not list them",
		"SupportPlans in namespace acme: forbidden, you may not list them",
		"PartnerPrograms in namespace acme: forbidden, you may not list them",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the viewer's page has no %q", want)
		}
	}
	all := get(t, serve(t, viewer, "")+"/view")
	if !strings.Contains(all, "MaturityTargets in every namespace: forbidden, you may not list them") ||
		!strings.Contains(all, "No MaturityTargets to show.") {
		t.Errorf("the viewer's page of every namespace:\n%s", all)
	}
}
