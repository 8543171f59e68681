package maturity

import (
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/generation"
)

// Cache compiles each MaturityModel once per (UID, generation): every
// target that uses a model, on every periodic re-evaluation, shares one
// compilation. Only the newest generation per UID is kept, so an edited
// model does not leak its old programs. Safe for concurrent use.
type Cache struct {
	models generation.Cache[compiled]
	// campaigns holds the compiled Campaigns, by UID.
	campaigns generation.Cache[compiledCampaign]
	// compilations counts Compile calls, so tests and benchmarks can assert
	// that evaluation never compiles.
	compilations atomic.Int64
}

type compiledCampaign struct {
	campaign *Campaign
	errs     []FieldError
}

type compiled struct {
	model *Model
	errs  []FieldError
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{}
}

// Get returns the compiled model, or its defects, for m's generation.
func (c *Cache) Get(m *v1alpha1.MaturityModel) (*Model, []FieldError) {
	if m == nil {
		return nil, []FieldError{{Field: "spec", Message: "no MaturityModel given"}}
	}
	return c.GetSpec(m.UID, m.Generation, func() (*v1alpha1.MaturityModelSpec, error) { return &m.Spec, nil })
}

// GetSpec is Get for a spec kept outside a MaturityModel (an applied
// generation kept in a ControllerRevision, under the revision's UID): spec
// is called only when (uid, gen) is not compiled yet, so a stored spec is
// decoded once per generation, not once per target.
func (c *Cache) GetSpec(uid types.UID, gen int64, spec func() (*v1alpha1.MaturityModelSpec, error)) (*Model, []FieldError) {
	r := c.models.Get(uid, gen, time.Time{}, func() compiled {
		s, err := spec()
		if err != nil {
			return compiled{errs: []FieldError{{Field: "spec", Message: err.Error()}}}
		}
		c.compilations.Add(1)
		model, errs := Compile(s)
		return compiled{model: model, errs: errs}
	})
	return r.model, r.errs
}

// Campaign returns the compiled campaign, or its defects, for c's
// generation: every target a campaign selects shares one compilation.
func (c *Cache) Campaign(camp *v1alpha1.Campaign) (*Campaign, []FieldError) {
	r := c.campaigns.Get(camp.UID, camp.Generation, time.Time{}, func() compiledCampaign {
		c.compilations.Add(1)
		cc, errs := CompileCampaign(&camp.Spec)
		return compiledCampaign{campaign: cc, errs: errs}
	})
	return r.campaign, r.errs
}

// ForgetCampaign drops a campaign's compilation, when it is deleted.
func (c *Cache) ForgetCampaign(uid types.UID) { c.campaigns.Forget(uid) }

// Compilations is the total number of compilations the cache has done.
func (c *Cache) Compilations() int64 { return c.compilations.Load() }

// Forget drops a model's compilation, for example when it is deleted.
func (c *Cache) Forget(uid types.UID) { c.models.Forget(uid) }
