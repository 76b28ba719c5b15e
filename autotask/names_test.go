package autotask_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// sandboxName is a record's name as the sandbox holds it.
func sandboxName(t *testing.T, sb *sandbox.Sandbox, entity string, id int64) string {
	t.Helper()
	rec, ok := sb.Record(entity, id)
	require.True(t, ok, "%s %d", entity, id)
	switch entity {
	case "Companies":
		return rec["companyName"].(string)
	case "Contacts", "Resources":
		return fmt.Sprintf("%s %s", rec["firstName"], rec["lastName"])
	}
	t.Fatalf("no name rule for %s in this test", entity)
	return ""
}

// ticketCompanies is the company of each of the first n tickets, with repeats.
func ticketCompanies(t *testing.T, sb *sandbox.Sandbox, n int) []int64 {
	t.Helper()
	var ids []int64
	for _, tid := range sb.IDs("Tickets")[:n] {
		rec, _ := sb.Record("Tickets", tid)
		ids = append(ids, rec["companyID"].(int64))
	}
	return ids
}

func TestNamesOneQueryPerEntityThenCached(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	clock := newFakeClock()
	c := tn.client(t, func(cfg *autotask.Config) { cfg.Now = clock.Now; cfg.NameTTL = 10 * time.Minute })
	ids := ticketCompanies(t, tn.sb, 25)

	names, err := c.Names(testCtx(t), "Companies", ids)
	require.NoError(t, err)
	for _, id := range ids {
		assert.Equal(t, sandboxName(t, tn.sb, "Companies", id), names[id], "company %d", id)
	}
	assert.Equal(t, map[string]int{"POST Companies/query": 1}, tn.sb.Stats().ByEndpoint, "one batched query, no metadata: Companies are named by hand")

	tn.sb.ResetStats()
	again, err := c.Names(testCtx(t), "company", ids)
	require.NoError(t, err)
	assert.Equal(t, names, again)
	assert.Zero(t, tn.sb.Stats().Requests, "names are cached")

	clock.Advance(10 * time.Minute)
	_, err = c.Names(testCtx(t), "Companies", ids[:1])
	require.NoError(t, err)
	assert.Equal(t, 1, tn.sb.Stats().Requests, "an expired name is read again")
}

func TestNamesCacheIsBounded(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t, func(cfg *autotask.Config) { cfg.NameCacheSize = 2 })
	ids := tn.sb.IDs("Companies")[1:4]

	_, err := c.Names(testCtx(t), "Companies", ids)
	require.NoError(t, err)
	tn.sb.ResetStats()
	_, err = c.Names(testCtx(t), "Companies", ids[2:])
	require.NoError(t, err)
	assert.Zero(t, tn.sb.Stats().Requests, "the newest names stay")
	_, err = c.Names(testCtx(t), "Companies", ids[:1])
	require.NoError(t, err)
	assert.Equal(t, 1, tn.sb.Stats().Requests, "the oldest name made room and is read again")
}

func TestNamesOfMissingRecordsAreRememberedAsMissing(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	real := tn.sb.IDs("Contacts")[0]
	names, err := c.Names(testCtx(t), "Contacts", []int64{real, 999999999})
	require.NoError(t, err)
	assert.Equal(t, map[int64]string{real: sandboxName(t, tn.sb, "Contacts", real)}, names)
	tn.sb.ResetStats()
	_, err = c.Names(testCtx(t), "Contacts", []int64{999999999})
	require.NoError(t, err)
	assert.Zero(t, tn.sb.Stats().Requests)
}

func TestNameFieldsFromMetadata(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	tests := map[string][]string{
		"Companies":          {"companyName"},
		"Contacts":           {"firstName", "lastName"},
		"Resources":          {"firstName", "lastName"},
		"Tickets":            {"ticketNumber"},
		"Projects":           {"projectName"},
		"Contracts":          {"contractName"},
		"Tasks":              {"title"},
		"ConfigurationItems": {"referenceTitle"},
		"Opportunities":      {"title"},
	}
	for entity, want := range tests {
		md, err := c.Metadata(testCtx(t), entity)
		require.NoError(t, err)
		assert.Equal(t, want, autotask.NameFields(md), entity)
	}

	// Named from metadata: the first Names call reads it, once.
	project := tn.sb.IDs("Projects")[0]
	rec, _ := tn.sb.Record("Projects", project)
	fresh := tn.client(t)
	names, err := fresh.Names(testCtx(t), "Projects", []int64{project})
	require.NoError(t, err)
	assert.Equal(t, rec["projectName"], names[project])
}

func TestFindByName(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	contoso := sandboxRecord(t, tn.sb, "Companies", map[string]any{"companyName": "Contoso"})
	contact := tn.sb.IDs("Contacts")[3]
	contactName := sandboxName(t, tn.sb, "Contacts", contact)

	tests := []struct {
		entity, name string
		want         []int64
	}{
		{"Companies", "Contoso", []int64{contoso}},
		{"Companies", "  cONTOSO ", []int64{contoso}},
		{"Companies", "Contos", nil},
		{"Contacts", contactName, []int64{contact}},
		{"Contacts", "  " + contactName + " ", []int64{contact}},
		{"Contacts", "Nobody Here-At-All", nil},
		{"Contacts", "Single", nil},
		{"Resources", "Jordan Former", []int64{sandboxRecord(t, tn.sb, "Resources", map[string]any{"firstName": "Jordan", "lastName": "Former"})}},
	}
	c := tn.client(t)
	for _, tt := range tests {
		t.Run(tt.entity+"/"+tt.name, func(t *testing.T) {
			found, err := c.FindByName(testCtx(t), tt.entity, tt.name)
			require.NoError(t, err)
			var ids []int64
			for _, r := range found {
				ids = append(ids, r.ID)
			}
			assert.Equal(t, tt.want, ids)
		})
	}

	t.Run("cached", func(t *testing.T) {
		tn.sb.ResetStats()
		_, err := c.FindByName(testCtx(t), "Companies", "contoso")
		require.NoError(t, err)
		assert.Zero(t, tn.sb.Stats().Requests)
	})

	t.Run("ambiguous", func(t *testing.T) {
		twin, err := tn.sb.Insert("Companies", map[string]any{"companyName": "Contoso", "companyType": 1, "phone": "(555) 000-0000", "ownerResourceID": tn.sb.APIResourceID()})
		require.NoError(t, err)
		found, err := tn.client(t).FindByName(testCtx(t), "Companies", "Contoso")
		require.NoError(t, err)
		assert.ElementsMatch(t, []autotask.NamedRecord{{ID: contoso, Name: "Contoso"}, {ID: twin, Name: "Contoso"}}, found)
	})

	t.Run("candidates", func(t *testing.T) {
		near, err := c.NameCandidates(testCtx(t), "Companies", "Contoso Corporation")
		require.NoError(t, err)
		require.NotEmpty(t, near)
		assert.LessOrEqual(t, len(near), autotask.NameMatchLimit)
		assert.Contains(t, near, autotask.NamedRecord{ID: contoso, Name: "Contoso"})
	})
}

func TestMe(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	t.Run("the API user's own resource, found once", func(t *testing.T) {
		c := tn.client(t)
		tn.sb.ResetStats()
		for range 2 {
			me, err := c.ActingResourceID(testCtx(t))
			require.NoError(t, err)
			assert.Equal(t, tn.sb.APIResourceID(), me)
		}
		assert.Equal(t, map[string]int{"POST Resources/query": 1}, tn.sb.Stats().ByEndpoint)
	})
	t.Run("the impersonated resource, without a request", func(t *testing.T) {
		tech := sandboxRecord(t, tn.sb, "Resources", map[string]any{"firstName": "Jordan", "lastName": "Former"})
		c := tn.client(t, func(cfg *autotask.Config) { cfg.ResourceID = tech })
		tn.sb.ResetStats()
		me, err := c.ActingResourceID(testCtx(t))
		require.NoError(t, err)
		assert.Equal(t, tech, me)
		assert.Zero(t, tn.sb.Stats().Requests)
	})
}
