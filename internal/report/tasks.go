package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// open says a task still has work: its gap has not closed and people have
// not marked it Done.
func open(t *v1alpha1.ProjectTask) bool {
	return !meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved) && t.Spec.State != v1alpha1.TaskDone
}

// overdue says an open task is past its due date at now.
func overdue(t *v1alpha1.ProjectTask, now time.Time) bool {
	return open(t) && t.Spec.DueDate != nil && t.Spec.DueDate.Time.Before(now)
}

// openTasks returns the open tasks, the earliest due first, then the most
// urgent, then by name.
func openTasks(tasks []v1alpha1.ProjectTask) []*v1alpha1.ProjectTask {
	var out []*v1alpha1.ProjectTask
	for i := range tasks {
		if open(&tasks[i]) {
			out = append(out, &tasks[i])
		}
	}
	slices.SortFunc(out, func(a, b *v1alpha1.ProjectTask) int {
		ad, bd := a.Spec.DueDate, b.Spec.DueDate
		switch {
		case ad != nil && bd != nil && !ad.Equal(bd):
			return ad.Compare(bd.Time)
		case (ad == nil) != (bd == nil):
			if ad == nil {
				return 1
			}
			return -1
		case a.Spec.Priority.Rank() != b.Spec.Priority.Rank():
			return a.Spec.Priority.Rank() - b.Spec.Priority.Rank()
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// writeTasks writes the open tasks as a table: due date, state, owner,
// assignee, priority, title and the gap it closes.
func writeTasks(s *strings.Builder, p palette, now time.Time, tasks []v1alpha1.ProjectTask, counts *v1alpha1.TaskCounts) {
	list := openTasks(tasks)
	title := fmt.Sprintf("Open tasks (%d)", len(list))
	if counts != nil && (counts.Resolved > 0 || counts.HeldBack > 0) {
		title += p.dim(fmt.Sprintf("  %d resolved, %d gaps held back by maxOpen", counts.Resolved, counts.HeldBack))
	}
	s.WriteString("\n" + p.bold(title) + "\n")
	if len(list) == 0 {
		return
	}
	rows := [][]string{{"DUE", "", "STATE", "OWNER", "ASSIGNEE", "PRIORITY", "TITLE"}}
	late := []bool{false}
	for _, t := range list {
		due, when := "-", ""
		if t.Spec.DueDate != nil {
			due, when = date(*t.Spec.DueDate), until(now, t.Spec.DueDate.Time)
		}
		if overdue(t, now) {
			when = "overdue " + strings.TrimSuffix(when, " ago")
		}
		rows = append(rows, []string{due, when, string(orState(t.Spec.State)), string(t.Spec.OwnerRole),
			orDash(t.Spec.Assignee), string(t.Spec.Priority), t.Spec.Title})
		late = append(late, overdue(t, now))
	}
	writeTable(s, p, rows, "  ", "  ", func(n, i int) func(string) string {
		switch {
		case i == 1 && late[n]:
			return p.red
		case i == 1:
			return p.dim
		}
		return nil
	})
}

func orState(s v1alpha1.TaskState) v1alpha1.TaskState {
	if s == "" {
		return v1alpha1.TaskOpen
	}
	return s
}

func (b *business) tasks(s *strings.Builder) {
	writeTasks(s, b.p, b.now, b.Tasks, b.Target.Status.Tasks)
}

// Summary writes one line per business: level, target, score, trend and
// overdue tasks. tasks are the ProjectTasks of the targets' namespaces;
// withNamespace adds a NAMESPACE column (for -A).
func Summary(w io.Writer, targets []v1alpha1.MaturityTarget, tasks []v1alpha1.ProjectTask, withNamespace bool, o Options) error {
	p := palette{o.Color}
	overdueBy := map[string]int{}
	for i := range tasks {
		t := &tasks[i]
		if t.Spec.Source.Kind == "MaturityTarget" && overdue(t, o.Now) {
			overdueBy[t.Namespace+"/"+t.Spec.Source.Name]++
		}
	}
	head := []string{"NAMESPACE", "NAME", "BUSINESS", "LEVEL", "TARGET", "SCORE", "TREND", "OPEN TASKS", "OVERDUE"}
	if !withNamespace {
		head = head[1:]
	}
	rows := make([][]string, 0, 1+len(targets))
	rows = append(rows, head)
	for i := range targets {
		t := &targets[i]
		score, open := "-", "-"
		if t.Status.Score != nil {
			score = t.Status.Score.Summary
		}
		if t.Status.Tasks != nil {
			open = strconv.Itoa(int(t.Status.Tasks.Open))
		}
		r := []string{t.Namespace, t.Name, t.Spec.Business, orDash(t.Status.CurrentLevel), t.Spec.TargetLevel,
			score, orDash(t.Status.Trend), open, strconv.Itoa(overdueBy[t.Namespace+"/"+t.Name])}
		if !withNamespace {
			r = r[1:]
		}
		rows = append(rows, r)
	}
	if len(targets) == 0 {
		_, err := io.WriteString(w, "No MaturityTargets found.\n")
		return err
	}
	var s strings.Builder
	writeTable(&s, p, rows, "", "   ", func(n, i int) func(string) string {
		r := rows[n]
		switch {
		case head[i] == "OVERDUE" && r[i] != "0":
			return p.red
		case head[i] == "LEVEL" && r[i] == r[i+1]:
			return p.green
		}
		return nil
	})
	_, err := io.WriteString(w, s.String())
	return err
}
