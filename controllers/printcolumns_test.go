package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// tableRow gets one object as `kubectl get` does, as a Table the API
// server renders from the CRD's printer columns, and returns its default
// columns (priority 0) by name.
func tableRow(ns, resource, name string) map[string]any {
	GinkgoHelper()
	hc, err := rest.HTTPClientFor(cfg)
	Expect(err).NotTo(HaveOccurred())
	url := fmt.Sprintf("%s/apis/%s/%s/namespaces/%s/%s/%s", strings.TrimSuffix(cfg.Host, "/"),
		v1alpha1.GroupVersion.Group, v1alpha1.GroupVersion.Version, ns, resource, name)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	resp, err := hc.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	Expect(resp.StatusCode).To(Equal(http.StatusOK), url)
	table := &metav1.Table{}
	Expect(json.NewDecoder(resp.Body).Decode(table)).To(Succeed())
	Expect(table.Rows).To(HaveLen(1))
	row := map[string]any{}
	for i, col := range table.ColumnDefinitions {
		if col.Priority == 0 {
			row[col.Name] = table.Rows[0].Cells[i]
		}
	}
	return row
}

var _ = Describe("kubectl get", func() {
	It("shows a task's title, owner, due date, state, whether it is overdue and resolved", func() {
		ns := newNamespace()
		task := projectTask(ns, "inbox", fakeClock.Now().AddDate(0, 0, 7), v1alpha1.TaskOpen)
		create(task)
		Eventually(func(g Gomega) {
			get(g, task)
			g.Expect(task.Status.ObservedGeneration).To(Equal(task.Generation))
		}).Should(Succeed())
		row := tableRow(ns, "projecttasks", task.Name)
		Expect(row).To(SatisfyAll(
			HaveKeyWithValue("Title", task.Spec.Title), HaveKeyWithValue("Owner", string(task.Spec.OwnerRole)),
			HaveKeyWithValue("Due", Not(BeEmpty())), HaveKeyWithValue("State", "Open"),
			HaveKeyWithValue("Overdue", "False"), HaveKey("Resolved"), HaveKey("Age")))
	})
})
