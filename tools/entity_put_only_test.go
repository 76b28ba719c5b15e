package tools_test

import (
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// methodCounts sums the sandbox's requests by HTTP method.
func methodCounts(sb *sandbox.Sandbox) map[string]int {
	out := map[string]int{}
	for endpoint, n := range sb.Stats().ByEndpoint {
		method, _, _ := strings.Cut(endpoint, " ")
		out[method] += n
	}
	return out
}

// TestEntityWritesPutOnly: on a tenant that updates an entity only by PUT (the sandbox's PutOnly;
// the vendor's spec has no such entity), update_entity's PATCH is refused with a 405 that applies
// nothing, and the update goes as a PUT of the whole record read just before it, with only the
// intended fields changed (user-defined fields included); the next update goes by PUT straight
// away; a record changed by someone else since the session read it is refused, with no PUT sent.
func TestEntityWritesPutOnly(t *testing.T) {
	cases := []struct {
		entity   string
		id       func(sb *sandbox.Sandbox) int64
		changes  []map[string]any
		conflict map[string]any
	}{
		{"Companies", companyWithUDFs,
			[]map[string]any{{"phone": "555-0177"}, {"webAddress": "www.moved.example", "city": "Tacoma"}},
			map[string]any{"fax": "555-0000"}},
		// Tasks are updated only through their project's route.
		{"Tasks", func(sb *sandbox.Sandbox) int64 { return sb.IDs("Tasks")[0] },
			[]map[string]any{{"title": "Migrate the file shares"}, {"description": "Phase 2", "estimatedHours": 6}},
			map[string]any{"description": "Changed by a colleague"}},
	}
	for _, c := range cases {
		t.Run(c.entity, func(t *testing.T) {
			env := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{PutOnly: []string{c.entity}}})
			id := c.id(env.Sandbox)
			ok(t, env.Call(t, "get_entity", args("entity", c.entity, "id", id)))

			// The first update learns that the tenant takes no PATCH on the entity.
			before, _ := env.Sandbox.Record(c.entity, id)
			sent := methodCounts(env.Sandbox)
			upd := args("entity", c.entity, "id", id, "changes", c.changes[0])
			upd["confirm"] = tokenOf(t, env.Call(t, "update_entity", upd))
			out := ok(t, env.Call(t, "update_entity", upd))
			require.Equal(t, "applied", out["outcome"], testenv.Text(env.Call(t, "get_entity", args("entity", c.entity, "id", id))))
			now := methodCounts(env.Sandbox)
			assert.Equal(t, 1, now["PATCH"]-sent["PATCH"], "one PATCH, refused")
			assert.Equal(t, 1, now["PUT"]-sent["PUT"], "then one PUT")
			after, _ := env.Sandbox.Record(c.entity, id)
			assertOnlyChanged(t, before, after, c.changes[0])

			// The next update is a PUT from the start: the whole record as read, with the change.
			upd = args("entity", c.entity, "id", id, "changes", c.changes[1])
			plan := ok(t, env.Call(t, "update_entity", merge(maps.Clone(upd), "dry_run", true)))
			req := plan["requests"].([]any)[0].(map[string]any)
			assert.Equal(t, "PUT", req["method"])
			body := req["body"].(map[string]any)
			current, _ := env.Sandbox.Record(c.entity, id)
			for k, v := range current {
				if v == nil || k == "userDefinedFields" {
					continue
				}
				want, changed := c.changes[1][k]
				if !changed {
					want = v
				}
				assert.True(t, sameStored(body[k], want), "the PUT carries %s as %v, the record holds %v", k, body[k], want)
			}
			sentUDFs := udfMap(body)
			for name, v := range udfMap(current) {
				assert.Equal(t, v, sentUDFs[name], "the PUT carries user-defined field %s back", name)
			}
			before = current
			sent = methodCounts(env.Sandbox)
			upd["confirm"] = tokenOf(t, env.Call(t, "update_entity", upd))
			require.Equal(t, "applied", ok(t, env.Call(t, "update_entity", upd))["outcome"])
			now = methodCounts(env.Sandbox)
			assert.Equal(t, map[string]int{"GET": 3, "PUT": 1, "PATCH": 0}, map[string]int{"GET": now["GET"] - sent["GET"], "PUT": now["PUT"] - sent["PUT"], "PATCH": now["PATCH"] - sent["PATCH"]},
				"token call: GET; applied call: GET, PUT, GET; no PATCH")
			after, _ = env.Sandbox.Record(c.entity, id)
			assertOnlyChanged(t, before, after, c.changes[1])

			// Someone else changes the record after this session's read: no PUT, nothing lost.
			ok(t, env.Call(t, "get_entity", args("entity", c.entity, "id", id)))
			require.NoError(t, env.Sandbox.Modify(c.entity, id, c.conflict))
			before, _ = env.Sandbox.Record(c.entity, id)
			sent = methodCounts(env.Sandbox)
			failed(t, env.Call(t, "update_entity", args("entity", c.entity, "id", id, "changes", c.changes[0])), "changed since", "nothing was written")
			now = methodCounts(env.Sandbox)
			assert.Equal(t, sent["PUT"], now["PUT"], "no PUT after a concurrent change")
			after, _ = env.Sandbox.Record(c.entity, id)
			assert.Equal(t, before, after)
		})
	}
}

// companyWithUDFs is a seeded customer with a user-defined field set, which a PUT must carry back.
func companyWithUDFs(sb *sandbox.Sandbox) int64 {
	for _, id := range sb.IDs("Companies") {
		rec, _ := sb.Record("Companies", id)
		for _, v := range udfMap(rec) {
			if v != nil && id > 0 {
				return id
			}
		}
	}
	return 0
}

// onPatch runs hook as a PATCH request reaches the tenant, before the tenant handles it: a
// colleague's change landing between update_entity's read and its write.
func onPatch(hook func()) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPatch {
				hook()
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TestEntityWritesPutOnlyRereadsBeforePut: the PUT that follows a refused PATCH is built from a new
// read that the guard checks, so a change made after the first read (here, while the PATCH was on
// its way) is refused, not overwritten by the PUT of the older record.
func TestEntityWritesPutOnlyRereadsBeforePut(t *testing.T) {
	// The first PATCH is the applied call's: the token call sends no write.
	var (
		env  *testenv.Env
		id   int64
		once sync.Once
	)
	env = testenv.New(t, testenv.Options{
		Sandbox: sandbox.Options{PutOnly: []string{"Companies"}},
		WrapAPI: onPatch(func() {
			once.Do(func() { assert.NoError(t, env.Sandbox.Modify("Companies", id, map[string]any{"fax": "555-0000"})) })
		}),
	})
	id = companyWithUDFs(env.Sandbox)
	ok(t, env.Call(t, "get_entity", args("entity", "Companies", "id", id)))
	upd := args("entity", "Companies", "id", id, "changes", args("phone", "555-0177"))
	upd["confirm"] = tokenOf(t, env.Call(t, "update_entity", upd))

	puts := methodCounts(env.Sandbox)["PUT"]
	text := failed(t, env.Call(t, "update_entity", upd), "changed since", "nothing was written")
	assert.Contains(t, text, "(PUT Companies (PATCH refused: 405))", "the failure names the request that was refused: the PUT the refused PATCH became")
	assert.Equal(t, puts, methodCounts(env.Sandbox)["PUT"], "no PUT of the older record")
	rec, _ := env.Sandbox.Record("Companies", id)
	assert.Equal(t, "555-0000", rec["fax"], "the colleague's change stands")
}
