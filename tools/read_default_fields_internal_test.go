package tools

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// Every field chosen by hand exists: defaultFields drops the ones a tenant lacks, so a misspelt
// name would silently shorten the set instead of failing.
func TestDefaultFieldSetsExistInMetadata(t *testing.T) {
	client := newFuzzClient(t)
	for entity, names := range defaultFieldSets {
		md, err := client.Metadata(context.Background(), entity)
		require.NoError(t, err, entity)
		for _, n := range names {
			f, ok := md.Field(n)
			if assert.True(t, ok, "%s has no field %s", entity, n) {
				assert.Equal(t, n, f.Name, "%s.%s is spelt as the metadata spells it", entity, n)
			}
		}
		assert.Equal(t, append([]string{"id"}, names...), defaultFields(md), entity)
	}
}

// The entities not chosen by hand get their set from metadata: the naming fields first, then
// status-like, required and reference fields, short fields only, a bounded number.
func TestDerivedDefaultFields(t *testing.T) {
	client := newFuzzClient(t)
	tests := map[string][]string{ // entity -> what must lead its set
		"BillingCodes":       {"id", "name"},
		"Appointments":       {"id", "title"},
		"CompanyLocations":   {"id", "name"},
		"ServiceCalls":       nil,
		"ContractServices":   nil,
		"InventoryLocations": nil,
	}
	for entity, lead := range tests {
		t.Run(entity, func(t *testing.T) {
			md, err := client.Metadata(context.Background(), entity)
			require.NoError(t, err)
			got := defaultFields(md)
			require.NotEmpty(t, got)
			assert.Equal(t, "id", got[0])
			assert.LessOrEqual(t, len(got), 1+derivedFieldsMax)
			if lead != nil {
				assert.Equal(t, lead, got[:len(lead)])
			}
			for _, name := range got {
				f, ok := md.Field(name)
				require.True(t, ok, name)
				assert.LessOrEqual(t, f.Length, 255, "%s.%s: no long text in a default row", entity, name)
			}
			t.Logf("%s: %v", entity, got)
		})
	}
}

func TestCommonValues(t *testing.T) {
	eq := func(field string, v any) autotask.Filter { return autotask.Eq(field, v) }
	tests := []struct {
		name       string
		items      []map[string]any
		filter     []autotask.Filter
		wantCommon map[string]any
	}{
		{"an eq condition every row shares moves out",
			[]map[string]any{{"id": 1, "status": "New (1)"}, {"id": 2, "status": "New (1)"}},
			[]autotask.Filter{eq("status", 1)}, map[string]any{"status": "New (1)"}},
		{"rows that spell it differently keep it",
			[]map[string]any{{"id": 1, "title": "Printer jam"}, {"id": 2, "title": "PRINTER JAM"}},
			[]autotask.Filter{eq("title", "printer jam")}, nil},
		{"a single row keeps it",
			[]map[string]any{{"id": 1, "status": "New (1)"}},
			[]autotask.Filter{eq("status", 1)}, nil},
		{"other operators and nested groups keep it",
			[]map[string]any{{"id": 1, "status": "New (1)"}, {"id": 2, "status": "New (1)"}},
			[]autotask.Filter{autotask.In("status", 1), autotask.Or(eq("status", 1))}, nil},
		{"a row without the field keeps it everywhere",
			[]map[string]any{{"id": 1, "status": "New (1)"}, {"id": 2}},
			[]autotask.Filter{eq("status", 1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tt.items[0])
			got := commonValues(tt.items, tt.filter)
			assert.Equal(t, tt.wantCommon, got)
			for field := range tt.wantCommon {
				for _, it := range tt.items {
					assert.NotContains(t, it, field)
				}
			}
			if tt.wantCommon == nil {
				assert.Len(t, tt.items[0], before, "nothing moved")
			}
		})
	}
}
