package sandbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// TestDirectAccess covers the Go API tests use to look inside the tenant and to act as
// another user.
func TestDirectAccess(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 40, Companies: 6})
	s := tn.s

	t.Run("Count and IDs agree, ascending, any case", func(t *testing.T) {
		ids := s.IDs("tickets")
		assert.Len(t, ids, 40)
		assert.Equal(t, 40, s.Count("TICKETS"))
		assert.IsIncreasing(t, ids)
		assert.Zero(t, s.Count("NoSuchEntity"))
		assert.Nil(t, s.IDs("NoSuchEntity"))
	})

	t.Run("Record is a copy in the API's shape", func(t *testing.T) {
		id := s.IDs("Tickets")[0]
		rec, ok := s.Record("Tickets", id)
		require.True(t, ok)
		assert.Equal(t, id, rec["id"])
		assert.IsType(t, "", rec["lastActivityDate"], "datetimes as the API's strings")
		assert.Contains(t, rec, "userDefinedFields")
		rec["title"] = "scribbled on the copy"
		again, _ := s.Record("Tickets", id)
		assert.NotEqual(t, "scribbled on the copy", again["title"])
		_, ok = s.Record("Tickets", 1)
		assert.False(t, ok)
	})

	t.Run("Modify acts as another user and moves lastActivityDate", func(t *testing.T) {
		id := s.IDs("Tickets")[1]
		before, _ := s.Record("Tickets", id)
		require.NoError(t, s.Modify("Tickets", id, map[string]any{"Title": "Changed in the UI", "status": 5}))
		after, _ := s.Record("Tickets", id)
		assert.Equal(t, "Changed in the UI", after["title"])
		assert.NotEqual(t, before["lastActivityDate"], after["lastActivityDate"])
		assert.NotEqual(t, s.APIResourceID(), after["lastActivityResourceID"], "not the API user")
		assert.NotNil(t, after["completedDate"], "ticket rules apply: status 5 stamps completedDate")
		// And the API sees it.
		assert.Equal(t, "Changed in the UI", item(t, tn.get(t, api+"Tickets/"+itoa(id)))["title"])
	})

	t.Run("Modify refuses unknown fields, entities and ids", func(t *testing.T) {
		id := s.IDs("Tickets")[0]
		assert.ErrorContains(t, s.Modify("Tickets", id, map[string]any{"accountID": 1}), "accountID")
		assert.Error(t, s.Modify("Nope", id, map[string]any{"title": "x"}))
		assert.Error(t, s.Modify("Tickets", 1, map[string]any{"title": "x"}))
	})

	t.Run("Insert stores what it is given", func(t *testing.T) {
		id, err := s.Insert("Tickets", map[string]any{"title": "Inserted", "companyID": 0, "status": 1, "priority": 2})
		require.NoError(t, err)
		rec, ok := s.Record("Tickets", id)
		require.True(t, ok)
		assert.Equal(t, "Inserted", rec["title"])
		assert.NotEmpty(t, rec["ticketNumber"])

		id, err = s.Insert("TicketNotes", map[string]any{"id": 77, "ticketID": s.IDs("Tickets")[0], "title": "t", "description": "d"})
		require.NoError(t, err)
		assert.Equal(t, int64(77), id, "a free id is kept")
		_, err = s.Insert("Tickets", map[string]any{"nope": 1})
		assert.Error(t, err)
	})

	t.Run("HostileTicketIDs name seeded tickets", func(t *testing.T) {
		ids := s.HostileTicketIDs()
		assert.Len(t, ids, 5)
		for _, id := range ids {
			_, ok := s.Record("Tickets", id)
			assert.True(t, ok)
		}
	})
}
