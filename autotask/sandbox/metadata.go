package sandbox

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:embed specfields_gen.json
var specFieldsJSON []byte

type specEntity struct {
	Model  string `json:"model"`
	Fields []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"fields"`
}

// specFields is parsed on first use so New stays fast for callers that never ask for an
// entity beyond the seeded ones.
var specFields = sync.OnceValue(func() map[string]specEntity {
	out := map[string]specEntity{}
	if err := json.Unmarshal(specFieldsJSON, &out); err != nil {
		panic(fmt.Sprintf("sandbox: embedded specfields_gen.json: %v", err)) // a build defect, caught by every test
	}
	return out
})

// fieldDef is one field as entityInformation/fields returns it.
type fieldDef struct {
	Name                     string          `json:"name"`
	DataType                 string          `json:"dataType"`
	Length                   int             `json:"length"`
	IsRequired               bool            `json:"isRequired"`
	IsReadOnly               bool            `json:"isReadOnly"`
	IsQueryable              bool            `json:"isQueryable"`
	IsReference              bool            `json:"isReference"`
	ReferenceEntityType      string          `json:"referenceEntityType"`
	IsPickList               bool            `json:"isPickList"`
	PicklistValues           []picklistValue `json:"picklistValues"`
	PicklistParentValueField string          `json:"picklistParentValueField"`
	IsSupportedWebhookField  bool            `json:"isSupportedWebhookField"`

	values map[string]*picklistValue // picklist by value
}

// entityMeta is everything the sandbox knows about an entity's fields.
type entityMeta struct {
	route      *entityRoute
	fields     []*fieldDef
	byLower    map[string]*fieldDef
	udfs       []udfDef
	udfByLower map[string]*udfDef
	webhooks   bool
}

func (m *entityMeta) name() string  { return m.route.name }
func (m *entityMeta) model() string { return m.route.model }

// field finds a field by name, any case.
func (m *entityMeta) field(name string) (*fieldDef, bool) {
	f, ok := m.byLower[strings.ToLower(name)]
	return f, ok
}

func (m *entityMeta) udf(name string) (*udfDef, bool) {
	d, ok := m.udfByLower[strings.ToLower(name)]
	return d, ok
}

// has says whether the entity has a field of exactly this canonical name.
func (m *entityMeta) has(name string) bool {
	f, ok := m.byLower[strings.ToLower(name)]
	return ok && f.Name == name
}

var metaCache sync.Map // entity name -> *entityMeta; metadata is the same in every sandbox

// metaFor builds (once) the metadata of an entity from the spec's fields and the hand-set rules.
func metaFor(e *entityRoute) *entityMeta {
	if m, ok := metaCache.Load(e.name); ok {
		return m.(*entityMeta)
	}
	m := buildMeta(e)
	actual, _ := metaCache.LoadOrStore(e.name, m)
	return actual.(*entityMeta)
}

func buildMeta(e *entityRoute) *entityMeta {
	c := theCatalog()
	m := &entityMeta{route: e, byLower: map[string]*fieldDef{}, udfByLower: map[string]*udfDef{}}
	_, m.webhooks = c.entity(e.model + "Webhooks")
	rules := entityRules[e.name]
	spec := specFields()[e.name]
	for _, sf := range spec.Fields {
		f := &fieldDef{Name: sf.Name, DataType: sf.Type, IsQueryable: true}
		if f.DataType == "string" {
			f.Length = defaultLength(f.Name)
		}
		f.IsReadOnly = systemFields[f.Name]
		if ref := referenceOf(c, f.Name); ref != "" {
			f.IsReference, f.ReferenceEntityType = true, ref
		}
		if r, ok := rules[f.Name]; ok {
			applyRule(f, r)
		}
		f.IsSupportedWebhookField = m.webhooks && !f.IsReadOnly
		m.fields = append(m.fields, f)
		m.byLower[strings.ToLower(f.Name)] = f
	}
	m.udfs = udfDefinitions[e.name]
	for i := range m.udfs {
		m.udfByLower[strings.ToLower(m.udfs[i].Name)] = &m.udfs[i]
	}
	return m
}

func applyRule(f *fieldDef, r fieldRule) {
	f.IsRequired = f.IsRequired || r.required
	f.IsReadOnly = f.IsReadOnly || r.readOnly
	if r.length > 0 {
		f.Length = r.length
	}
	switch {
	case r.ref == "-":
		f.IsReference, f.ReferenceEntityType = false, ""
	case r.ref != "":
		f.IsReference, f.ReferenceEntityType = true, r.ref
	}
	if r.picklist != nil {
		f.IsPickList, f.PicklistValues, f.PicklistParentValueField = true, r.picklist, r.parent
		f.IsReference, f.ReferenceEntityType = false, ""
		f.values = map[string]*picklistValue{}
		for i := range r.picklist {
			f.values[r.picklist[i].Value] = &r.picklist[i]
		}
	}
}

func defaultLength(name string) int {
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "description"), strings.Contains(l, "notes"), l == "note":
		return 8000
	case strings.HasSuffix(l, "url"):
		return 512
	}
	return 255
}

// referenceOf infers referenceEntityType from the field name: companyID -> Company,
// assignedResourceID -> Resource, configurationItemID -> ConfigurationItem.
func referenceOf(c *catalog, name string) string {
	if len(name) < 3 || !strings.HasSuffix(strings.ToLower(name), "id") || strings.EqualFold(name, "id") {
		return ""
	}
	prefix := strings.ToLower(name[:len(name)-2])
	for _, suffix := range []string{"resource", "contact", "company"} {
		if strings.HasSuffix(prefix, suffix) {
			return map[string]string{"resource": "Resource", "contact": "Contact", "company": "Company"}[suffix]
		}
	}
	return c.models[prefix]
}

// entityInfoJSON is the body of GET /{Entity}/entityInformation.
func entityInfoJSON(m *entityMeta) map[string]any {
	caps := theCatalog().effective(m.route)
	access := func(ok bool) string {
		if ok {
			return "All"
		}
		return "None"
	}
	return map[string]any{"info": map[string]any{
		"name":                    m.model(),
		"canCreate":               caps.create,
		"canDelete":               caps.delete,
		"canQuery":                caps.query,
		"canUpdate":               caps.put || caps.patch,
		"userAccessForCreate":     access(caps.create),
		"userAccessForDelete":     access(caps.delete),
		"userAccessForQuery":      access(caps.query),
		"userAccessForUpdate":     access(caps.put || caps.patch),
		"hasUserDefinedFields":    m.route.udf || len(m.udfs) > 0,
		"supportsWebhookCallouts": m.webhooks,
	}}
}
