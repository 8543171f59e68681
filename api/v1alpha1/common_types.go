package v1alpha1

// OwnerRole is the role accountable for an objective and its tasks.
// +kubebuilder:validation:Enum=ProductManager;Marketing;IT;SalesMarketing;CustomerSupport;PartnerManager
type OwnerRole string

// Owner roles (seed 001: who is accountable for which results).
const (
	OwnerProductManager  OwnerRole = "ProductManager"
	OwnerMarketing       OwnerRole = "Marketing"
	OwnerIT              OwnerRole = "IT"
	OwnerSalesMarketing  OwnerRole = "SalesMarketing"
	OwnerCustomerSupport OwnerRole = "CustomerSupport"
	OwnerPartnerManager  OwnerRole = "PartnerManager"
)

// Priority orders tasks; maxOpen keeps the most urgent ones open first.
// +kubebuilder:validation:Enum=Critical;High;Medium;Low
type Priority string

// Priorities, most urgent first.
const (
	PriorityCritical Priority = "Critical"
	PriorityHigh     Priority = "High"
	PriorityMedium   Priority = "Medium"
	PriorityLow      Priority = "Low"
)

// Rank returns 0 for the most urgent priority; unknown values sort last.
func (p Priority) Rank() int {
	switch p {
	case PriorityCritical:
		return 0
	case PriorityHigh:
		return 1
	case PriorityMedium, "":
		return 2
	case PriorityLow:
		return 3
	}
	return 4
}

// LocalObjectReference names an object in the same namespace.
type LocalObjectReference struct {
	// name of the referenced object: a DNS subdomain, so it cannot name
	// another namespace (no "/").
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`
}

// ClusterObjectReference names a cluster-scoped object.
type ClusterObjectReference struct {
	// name of the referenced object: a DNS subdomain, so it cannot name
	// another namespace (no "/").
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`
}
