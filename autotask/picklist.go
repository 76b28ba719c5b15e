package autotask

import (
	"encoding/json"
	"strings"
)

// PicklistValue is one choice of a picklist field. Value is the id the API
// stores; Label is what people see.
type PicklistValue struct {
	Value          string `json:"value"`
	Label          string `json:"label"`
	IsDefaultValue bool   `json:"isDefaultValue"`
	SortOrder      int    `json:"sortOrder"`
	ParentValue    string `json:"parentValue"`
	IsActive       bool   `json:"isActive"`
	IsSystem       bool   `json:"isSystem"`
}

// UnmarshalJSON accepts value, parentValue and sortOrder as strings or numbers:
// the API documents strings but tenants and proxies are not consistent.
func (v *PicklistValue) UnmarshalJSON(data []byte) error {
	var raw struct {
		Value          flexString `json:"value"`
		Label          string     `json:"label"`
		IsDefaultValue bool       `json:"isDefaultValue"`
		SortOrder      flexString `json:"sortOrder"`
		ParentValue    flexString `json:"parentValue"`
		IsActive       bool       `json:"isActive"`
		IsSystem       bool       `json:"isSystem"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	sort, _ := toInt64(string(raw.SortOrder))
	*v = PicklistValue{Value: string(raw.Value), Label: raw.Label, IsDefaultValue: raw.IsDefaultValue,
		SortOrder: int(sort), ParentValue: string(raw.ParentValue), IsActive: raw.IsActive, IsSystem: raw.IsSystem}
	return nil
}

// flexString decodes a JSON string, number or null into text.
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*s = flexString(valueString(v))
	return nil
}

// Picklist is the set of choices of one field, indexed both ways.
type Picklist struct {
	Field  string
	Values []PicklistValue

	byValue map[string]int
	byLabel map[string][]int // lower label -> indexes, active first
}

func newPicklist(field string, values []PicklistValue) *Picklist {
	p := &Picklist{Field: field, Values: values, byValue: make(map[string]int, len(values)),
		byLabel: make(map[string][]int, len(values))}
	for i, v := range values {
		if _, dup := p.byValue[v.Value]; !dup {
			p.byValue[v.Value] = i
		}
		key := strings.ToLower(strings.TrimSpace(v.Label))
		if v.IsActive {
			p.byLabel[key] = append([]int{i}, p.byLabel[key]...)
		} else {
			p.byLabel[key] = append(p.byLabel[key], i)
		}
	}
	return p
}

// Label returns the label of a stored value.
func (p *Picklist) Label(value string) (string, bool) {
	i, ok := p.byValue[strings.TrimSpace(value)]
	if !ok {
		return "", false
	}
	return p.Values[i].Label, true
}

// Value returns the value whose label equals label, ignoring case. It never
// matches a prefix: "Complete" and "Completed" are different statuses in some
// tenants, and only one of them stamps the ticket as resolved.
func (p *Picklist) Value(label string) (string, bool) {
	idx := p.byLabel[strings.ToLower(strings.TrimSpace(label))]
	if len(idx) == 0 {
		return "", false
	}
	return p.Values[idx[0]].Value, true
}

// Default returns the value the API marks as default.
func (p *Picklist) Default() (PicklistValue, bool) {
	for _, v := range p.Values {
		if v.IsDefaultValue {
			return v, true
		}
	}
	return PicklistValue{}, false
}

// ChildrenOf returns the values of a child picklist that belong under one value
// of its parent (sub-issue types of an issue type).
func (p *Picklist) ChildrenOf(parentValue string) []PicklistValue {
	parentValue = strings.TrimSpace(parentValue)
	var out []PicklistValue
	for _, v := range p.Values {
		if v.ParentValue == parentValue {
			out = append(out, v)
		}
	}
	return out
}

// Labels returns every label, in the API's order; for "did you mean" messages.
func (p *Picklist) Labels() []string {
	out := make([]string, len(p.Values))
	for i, v := range p.Values {
		out[i] = v.Label
	}
	return out
}
