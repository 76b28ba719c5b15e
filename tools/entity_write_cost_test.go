package tools_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// writeCost is the sandbox's request count of one confirmed generic write: the call that returns
// the token and the call that applies it.
type writeCost struct{ token, applied int }

func (w writeCost) total() int { return w.token + w.applied }

// confirmedWrite runs a generic write through its token and returns what each call cost and the
// applied call's result.
func confirmedWrite(t *testing.T, env *testenv.Env, tool string, a map[string]any) (writeCost, map[string]any) {
	t.Helper()
	var c writeCost
	before := env.Sandbox.Stats().Requests
	tok := tokenOf(t, env.Call(t, tool, a))
	c.token = env.Sandbox.Stats().Requests - before
	before = env.Sandbox.Stats().Requests
	out := ok(t, env.Call(t, tool, merge(maps.Clone(a), "confirm", tok)))
	c.applied = env.Sandbox.Stats().Requests - before
	require.Equal(t, "applied", out["outcome"])
	return c, out
}

// TestEntityWriteCost pins the API requests each generic write costs, from the sandbox's own count,
// cold (a fresh stack: the entity's metadata not yet cached) and warm (cached). The counts follow
// from what each call does:
//   - metadata, once per entity and stack: entityInformation, its fields, and its user-defined
//     fields when the entity has them (2 or 3);
//   - create, token call: the metadata when cold, and the parent's GET (the guard's check) under a
//     parent; applied call: the parent's GET under a parent, POST, the parent's GET again (the
//     version the session now knows), GET of the new record; at its own URL: POST, GET;
//   - update, token call: GET (the guard's check, and the record the change is shown against);
//     applied call: GET, PATCH, GET (the version the session now knows).
//
// The cold update is measured on a second stack whose record was put in the sandbox directly and
// read with get_entity: that read, which every update needs first, loads the metadata, so the update
// after it costs what a warm one does.
func TestEntityWriteCost(t *testing.T) {
	t.Logf("%-22s %14s %14s %14s %14s %10s", "entity", "create cold", "create warm", "update cold", "update warm", "read cold")
	for _, c := range entityCases {
		t.Run(c.entity, func(t *testing.T) {
			metadata := 2
			if c.udfs {
				metadata = 3
			}
			parentGets := 0
			createApplied := 2
			if c.parent != "" {
				parentGets, createApplied = 1, 4
			}

			env := writeEnv(t, nil, guard.Options{})
			f := seedIDs(env.Sandbox)
			if c.parent != "" {
				ok(t, env.Call(t, "get_entity", args("entity", c.parent, "id", c.parentID(f))))
			}
			createCold, out := confirmedWrite(t, env, "create_entity", c.createArgs(f, ""))
			id := asInt(t, out["record_id"])
			rec, found := env.Sandbox.Record(c.stored, id)
			require.True(t, found)
			createWarm, _ := confirmedWrite(t, env, "create_entity", c.createArgs(f, ""))
			updateWarm, _ := confirmedWrite(t, env, "update_entity", args("entity", c.stored, "id", id, "changes", c.change))

			// A fresh stack, the same seed: the record as the first stack created it.
			fresh := writeEnv(t, nil, guard.Options{})
			body := map[string]any{}
			for k, v := range rec {
				if k != "id" && v != nil {
					body[k] = v
				}
			}
			id2, err := fresh.Sandbox.Insert(c.stored, body)
			require.NoError(t, err)
			before := fresh.Sandbox.Stats().Requests
			ok(t, fresh.Call(t, "get_entity", args("entity", c.stored, "id", id2)))
			read := fresh.Sandbox.Stats().Requests - before
			updateCold, _ := confirmedWrite(t, fresh, "update_entity", args("entity", c.stored, "id", id2, "changes", c.change))

			assert.Equal(t, writeCost{metadata + parentGets, createApplied}, createCold, "create %s, cold", c.entity)
			assert.Equal(t, writeCost{parentGets, createApplied}, createWarm, "create %s, warm", c.entity)
			assert.GreaterOrEqual(t, read, 1+metadata, "get_entity %s, cold: GET, the metadata, and the names of references", c.entity)
			assert.Equal(t, writeCost{1, 3}, updateCold, "update %s after a cold get_entity: the read loaded the metadata", c.entity)
			assert.Equal(t, writeCost{1, 3}, updateWarm, "update %s, warm", c.entity)
			t.Logf("%-22s %14s %14s %14s %14s %10d", c.entity, createCold, createWarm, updateCold, updateWarm, read)
		})
	}
}

func (w writeCost) String() string {
	return fmt.Sprintf("%d + %d = %d", w.token, w.applied, w.total())
}
