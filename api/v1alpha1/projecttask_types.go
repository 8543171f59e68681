package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TaskState is set by the people working on a task.
// +kubebuilder:validation:Enum=Open;InProgress;Done
type TaskState string

const (
	// TaskOpen means nobody has started.
	TaskOpen TaskState = "Open"
	// TaskInProgress means someone is working on it.
	TaskInProgress TaskState = "InProgress"
	// TaskDone means the people consider it finished.
	TaskDone TaskState = "Done"
)

// TaskSource says which object, and which gap of it, produced a task.
type TaskSource struct {
	// kind of the source object, for example MaturityTarget.
	// +required
	// +kubebuilder:validation:MaxLength=63
	Kind string `json:"kind"`
	// name of the source object, in the task's namespace.
	// +required
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// stream of the gap.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Stream string `json:"stream,omitempty"`
	// objective of the gap.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective,omitempty"`
	// level the task reaches.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Level string `json:"level,omitempty"`
}

// ProjectTaskSpec is a follow-up project. The controller that generated it
// owns every field but assignee and state, which belong to people: it
// never overwrites them.
type ProjectTaskSpec struct {
	// title of the project.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	Title string `json:"title"`
	// description of the project.
	// +optional
	// +kubebuilder:validation:MaxLength=4096
	Description string `json:"description,omitempty"`
	// ownerRole is the role accountable for the project.
	// +required
	OwnerRole OwnerRole `json:"ownerRole"`
	// priority of the project.
	// +optional
	// +kubebuilder:default=Medium
	Priority Priority `json:"priority,omitempty"`
	// dueDate is when the project should be done.
	// +optional
	DueDate *metav1.Time `json:"dueDate,omitempty"`
	// source is the object and gap that produced the task.
	// +required
	Source TaskSource `json:"source"`
	// assignee is the person working on the task; set by people.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Assignee string `json:"assignee,omitempty"`
	// state of the work; set by people.
	// +optional
	// +kubebuilder:default=Open
	State TaskState `json:"state,omitempty"`
}

// ProjectTaskStatus says whether the gap closed and whether the task is late.
type ProjectTaskStatus struct {
	// observedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// lastHandledRequestedAt is the value of the growth.scaleup.io/requested-at
	// annotation that the last reconcile handled (AnnotationRequestedAt).
	// +kubebuilder:validation:MaxLength=256
	// +optional
	LastHandledRequestedAt string `json:"lastHandledRequestedAt,omitempty"`
	// notified is the latest transition of the task that the task-events
	// sink acknowledged (absent when no sink is configured or none was
	// acknowledged yet). A task whose current transition differs from it
	// is (re)sent, also after a restart of the operator.
	// +optional
	Notified *TaskNotification `json:"notified,omitempty"`
	// conditions: Resolved (set by the source's controller), Overdue,
	// Notified (only with a task-events sink).
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// TaskEventType is the kind of a task transition sent as a CloudEvent.
// +kubebuilder:validation:Enum=opened;overdue;resolved;reassigned
type TaskEventType string

const (
	// TaskEventOpened means the task is open, for the first time or again after
	// it was resolved.
	TaskEventOpened TaskEventType = "opened"
	// TaskEventOverdue means the open task passed its due date.
	TaskEventOverdue TaskEventType = "overdue"
	// TaskEventResolved means the gap closed, or people marked the task Done.
	TaskEventResolved TaskEventType = "resolved"
	// TaskEventReassigned means spec.assignee changed.
	TaskEventReassigned TaskEventType = "reassigned"
)

// TaskPhase is where a task stands for its owners.
// +kubebuilder:validation:Enum=Open;Overdue;Resolved
type TaskPhase string

const (
	// TaskPhaseOpen means neither resolved nor past its due date.
	TaskPhaseOpen TaskPhase = "Open"
	// TaskPhaseOverdue means open and past its due date.
	TaskPhaseOverdue TaskPhase = "Overdue"
	// TaskPhaseResolved means the gap closed or the task is Done.
	TaskPhaseResolved TaskPhase = "Resolved"
)

// TaskNotification is a transition of a task that the task-events sink
// acknowledged: what the sink knows of the task.
type TaskNotification struct {
	// id of the CloudEvent the sink acknowledged.
	// +required
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id"`
	// type of the transition.
	// +required
	Type TaskEventType `json:"type"`
	// phase the task was in.
	// +required
	Phase TaskPhase `json:"phase"`
	// assignee the task had.
	// +optional
	// +kubebuilder:validation:MaxLength=253
	Assignee string `json:"assignee,omitempty"`
}

// ProjectTask is a follow-up project generated for a gap.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pt,categories=scaleup
// +kubebuilder:printcolumn:name="Title",type=string,JSONPath=`.spec.title`
// +kubebuilder:printcolumn:name="Owner",type=string,JSONPath=`.spec.ownerRole`
// +kubebuilder:printcolumn:name="Priority",type=string,JSONPath=`.spec.priority`
// +kubebuilder:printcolumn:name="Due",type=string,JSONPath=`.spec.dueDate`
// +kubebuilder:printcolumn:name="State",type=string,JSONPath=`.spec.state`
// +kubebuilder:printcolumn:name="Overdue",type=string,JSONPath=`.status.conditions[?(@.type=="Overdue")].status`
// +kubebuilder:printcolumn:name="Resolved",type=string,JSONPath=`.status.conditions[?(@.type=="Resolved")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type ProjectTask struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec describes the project.
	// +required
	Spec ProjectTaskSpec `json:"spec"`
	// status says whether it is resolved or overdue.
	// +optional
	Status ProjectTaskStatus `json:"status,omitempty"`
}

// ProjectTaskList is a list of ProjectTasks.
// +kubebuilder:object:root=true
type ProjectTaskList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ProjectTask `json:"items"`
}

func init() {
	register(&ProjectTask{}, &ProjectTaskList{})
}
