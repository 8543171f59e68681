package v1alpha1

// History annotations: facts the operator decided that cannot be
// recomputed from the spec, written on the object itself in metadata so
// that a backup that keeps metadata but drops status (Velero without
// status, `kubectl get -o yaml` exports) restores them. The operator writes
// them before the status shows the fact, and reads them only when the
// status has lost it: the status stays the user-facing view.
const (
	// AnnotationExpansionStage on a PartnerProgram is the expansion stage
	// it reached (a stage name of spec.expansion.stages, or "open"). It is
	// read only while status.stage is empty, i.e. after a restore without
	// status.
	AnnotationExpansionStage = "growth.scaleup.io/expansion-stage"
	// AnnotationExpansionStageReachedAt on a PartnerProgram is when the
	// operator moved it to its stage (RFC 3339), for people; nothing
	// reads it back.
	AnnotationExpansionStageReachedAt = "growth.scaleup.io/expansion-stage-reached-at"
	// AnnotationTargetsHeldSince on a PartnerProgram is when every target
	// last started to hold (RFC 3339), absent while they do not. It is read
	// only while status.stage is empty.
	AnnotationTargetsHeldSince = "growth.scaleup.io/targets-held-since"
	// AnnotationAdmittedAt on a Partner is when its program admitted it
	// (RFC 3339): the program admits a partner by writing it, and the
	// Partner controller copies it into status.admittedAt. It is read while
	// status.admittedAt is empty: a partner that carries it is admitted.
	AnnotationAdmittedAt = "growth.scaleup.io/admitted-at"
)
