package tools_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
)

// TestEntityWritesFieldRules: each case creates with its entity's required fields and nothing else,
// as the tenant's metadata gives them; leaving one out, or adding a read-only one, is refused before
// any request, so a tool that skipped either check would reach the sandbox, which refuses the first
// and silently drops the second (autotask/sandbox/fieldrules.go).
func TestEntityWritesFieldRules(t *testing.T) {
	for _, c := range entityCases {
		t.Run(c.entity, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			f := seedIDs(env.Sandbox)
			md, err := env.Client.Metadata(context.Background(), c.stored)
			require.NoError(t, err)

			fields := c.fields(f)
			var required []string
			for _, name := range md.FieldNames() {
				fd, _ := md.Field(name)
				defaulted := false
				for _, v := range fd.PicklistValues {
					defaulted = defaulted || v.IsDefaultValue
				}
				if fd.IsRequired && !defaulted && name != parentRefField[c.parent] {
					required = append(required, name)
				}
			}
			for name := range fields {
				fd, known := md.Field(name)
				require.True(t, known, "%s has no field %s", c.stored, name)
				assert.True(t, fd.IsRequired, "%s.%s is sent but not required: a create here carries required fields only", c.stored, name)
			}
			for _, name := range required {
				assert.Contains(t, fields, name, "%s.%s is required with no default, and the case leaves it out", c.stored, name)
			}

			require.Contains(t, fields, c.required)
			require.Len(t, c.readOnly, 1)
			var readOnly string
			for k := range c.readOnly {
				readOnly = k
			}
			fd, _ := md.Field(readOnly)
			assert.True(t, fd.IsReadOnly, "%s.%s is read-only in the tenant's metadata", c.stored, readOnly)

			if c.parent != "" {
				ok(t, env.Call(t, "get_entity", args("entity", c.parent, "id", c.parentID(f))))
			}
			without := c.createArgs(f, "")
			delete(without["fields"].(map[string]any), c.required)
			withRO := c.createArgs(f, "")
			maps.Copy(withRO["fields"].(map[string]any), c.readOnly)
			for _, tc := range []struct {
				name      string
				args      map[string]any
				fragments []string
			}{
				{"missing required " + c.required, without, []string{"missing required", c.required}},
				{"read-only " + readOnly, withRO, []string{readOnly, "read-only"}},
			} {
				requests, writes := env.Sandbox.Stats().Requests, env.Sandbox.Stats().Writes
				failed(t, env.Call(t, "create_entity", tc.args), tc.fragments...)
				assert.Equal(t, requests, env.Sandbox.Stats().Requests, "%s: refused before any request", tc.name)
				assert.Equal(t, writes, env.Sandbox.Stats().Writes, "%s: nothing written", tc.name)
			}
		})
	}
}

// TestEntityWritesChangeOnlyIntendedFields is the property of every generic update: over rounds
// of changes to one field, another, or both, with new values each round, the record afterwards
// differs from the record before in the changed fields and the API's own stamps only.
func TestEntityWritesChangeOnlyIntendedFields(t *testing.T) {
	const rounds = 6
	for _, c := range entityCases {
		t.Run(c.entity, func(t *testing.T) {
			env := writeEnv(t, &elicitor{action: mcp.ElicitationResponseActionAccept}, guard.Options{})
			f := seedIDs(env.Sandbox)
			if c.parent != "" {
				ok(t, env.Call(t, "get_entity", args("entity", c.parent, "id", c.parentID(f))))
			}
			out := ok(t, env.Call(t, "create_entity", c.createArgs(f, "")))
			require.Equal(t, "applied", out["outcome"])
			id := asInt(t, out["record_id"])

			md, err := env.Client.Metadata(context.Background(), c.stored)
			require.NoError(t, err)
			pool := maps.Clone(c.change)
			for k, v := range c.conflict {
				if fd, _ := md.Field(k); !fd.IsReadOnly {
					pool[k] = v
				}
			}
			names := slices.Sorted(maps.Keys(pool))
			for k := 1; k <= rounds; k++ {
				change := map[string]any{}
				for i, name := range names {
					// Round by round: the first field, the others, then all of them (a pool of
					// one changes it every round).
					if k%3 == 0 || len(names) == 1 || (k%3 == 1) == (i == 0) {
						change[name] = vary(pool[name], k)
					}
				}
				before, _ := env.Sandbox.Record(c.stored, id)
				res := ok(t, env.Call(t, "update_entity", args("entity", c.stored, "id", id, "changes", change)))
				require.Equal(t, "applied", res["outcome"], "round %d: %v", k, change)
				after, _ := env.Sandbox.Record(c.stored, id)
				assertOnlyChanged(t, before, after, change)
			}
		})
	}
}

// vary is a value of the same kind as v, different in each round k.
func vary(v any, k int) any {
	switch x := v.(type) {
	case string:
		if ts, err := time.Parse(time.RFC3339, x); err == nil {
			return ts.Add(time.Duration(k) * time.Hour).Format(time.RFC3339)
		}
		return fmt.Sprintf("%s #%d", x, k)
	case int:
		return x + k
	case float64:
		return x + float64(k)
	case bool:
		return k%2 == 1 != x
	}
	return v
}
