package v1alpha1

// WhileNotReady says what a program does while its business is below the
// readiness gate's minimum level.
// +kubebuilder:validation:Enum=HoldFirstStage;Closed
type WhileNotReady string

const (
	// WhileNotReadyHoldFirstStage admits no more partners than the first
	// expansion stage seats, and opens no further stage, until the business
	// reaches the minimum level. A program in Open mode has no first stage
	// to hold: it admits no one, as Closed.
	WhileNotReadyHoldFirstStage WhileNotReady = "HoldFirstStage"
	// WhileNotReadyClosed admits no new partner until the business reaches
	// the minimum level. Partners already admitted keep their seats.
	WhileNotReadyClosed WhileNotReady = "Closed"
)

// ReadinessGate ties a program's expansion to the maturity of its business
// (seed 003: before pursuing scalable partnerships, a business must have
// stable core operations).
type ReadinessGate struct {
	// maturityTargetRef names the MaturityTarget in this namespace that
	// measures the business.
	// +required
	MaturityTargetRef LocalObjectReference `json:"maturityTargetRef"`
	// minimumLevel is the level the business must have reached
	// (status.currentLevel of the target, at or above it); one of the levels
	// of the target's MaturityModel.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	MinimumLevel string `json:"minimumLevel"`
	// whileNotReady: HoldFirstStage (the default) or Closed.
	// +optional
	// +kubebuilder:default=HoldFirstStage
	WhileNotReady WhileNotReady `json:"whileNotReady,omitempty"`
}
