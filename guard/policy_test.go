package guard

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAllowList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  , ,", nil},
		{"add_ticket_note", []string{"add_ticket_note"}},
		{"add_ticket_note,Tickets", []string{"add_ticket_note", "Tickets"}},
		{" add_ticket_note , update_ticket\tTickets;TicketNotes ", []string{"add_ticket_note", "update_ticket", "Tickets", "TicketNotes"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, ParseAllowList(tt.in)) })
	}
}

func TestWriteAllowed(t *testing.T) {
	tests := []struct {
		name         string
		readOnly     bool
		allow        string
		tool, entity string
		want         bool
	}{
		{"no list allows all", false, "", "update_ticket", "Tickets", true},
		{"read-only refuses all", true, "", "update_ticket", "Tickets", false},
		{"read-only beats the list", true, "update_ticket", "update_ticket", "Tickets", false},
		{"tool named", false, "add_ticket_note", "add_ticket_note", "TicketNotes", true},
		{"tool not named", false, "add_ticket_note", "update_ticket", "Tickets", false},
		{"entity named allows any tool on it", false, "Tickets", "resolve_ticket", "Tickets", true},
		{"entity named, another entity", false, "Tickets", "create_entity", "Companies", false},
		{"case-insensitive", false, "ADD_TICKET_NOTE,tickets", "add_ticket_note", "", true},
		{"case-insensitive entity", false, "tickets", "update_ticket", "Tickets", true},
		{"no entity: only the tool counts", false, "Tickets", "update_ticket", "", false},
		{"any entity written suffices", false, "TicketNotes", "add_ticket_note", "Tickets,TicketNotes", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard(t, Options{ReadOnly: tt.readOnly, AllowWrites: ParseAllowList(tt.allow)})
			assert.Equal(t, tt.want, g.WriteAllowed(tt.tool, strings.Split(tt.entity, ",")...))
			assert.Equal(t, tt.readOnly, g.ReadOnly())
		})
	}
}

func TestNewValidatesOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr bool
	}{
		{"zero options", Options{}, false},
		{"shared key", Options{Key: testKey}, false},
		{"short key", Options{Key: []byte("short")}, true},
		{"empty non-nil key", Options{Key: []byte{}}, true},
		{"negative ttl", Options{TokenTTL: -time.Second}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(tt.opts)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, g)
		})
	}
}

func TestNewCopiesKey(t *testing.T) {
	key := append([]byte(nil), testKey...)
	g := newGuard(t, Options{Key: key})
	w := ticketWrite(session, map[string]any{"status": 5})
	tok, _, err := g.IssueToken(bg, w, "v1")
	require.NoError(t, err)
	key[0] ^= 0xff // the caller reusing its buffer must not change the guard's key
	require.NoError(t, g.RedeemToken(bg, tok, w, "v1"))
}

func TestNeedsConfirmation(t *testing.T) {
	g := newGuard(t, Options{SensitiveFields: []string{"contractID"}})
	tests := []struct {
		name string
		w    Write
		want bool
	}{
		{"status", ticketWrite(session, map[string]any{"status": 5}), true},
		{"status with other fields", ticketWrite(session, map[string]any{"title": "x", "status": 5}), true},
		{"status, other case", ticketWrite(session, map[string]any{"Status": 5}), true},
		{"companyID", ticketWrite(session, map[string]any{"companyID": 7}), true},
		{"isActive", Write{Entity: "Contacts", Changes: map[string]any{"isActive": false}}, true},
		{"configured extra field", ticketWrite(session, map[string]any{"contractID": 3}), true},
		{"title only", ticketWrite(session, map[string]any{"title": "x"}), false},
		{"assignment is routine", ticketWrite(session, map[string]any{"assignedResourceID": 9}), false},
		{"resolution only", ticketWrite(session, map[string]any{"resolution": "done"}), false},
		{"no changes", ticketWrite(session, nil), false},
		{"tool marks it sensitive", Write{Tool: "add_ticket_note", Sensitive: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, g.NeedsConfirmation(tt.w)) })
	}
}

// Read-only refuses every write at the guard itself, whatever the tool, the entity it is checked
// against or the entities it writes, and even when the allow list names them. The tools refuse
// before the guard is asked, so only calling Check and IssueToken directly shows the guard's own
// refusal. The same calls on a writable guard go through, so the refusal is read-only's alone.
func TestReadOnlyRefusesEveryWriteAtTheGuard(t *testing.T) {
	writes := []Write{
		{Tool: "add_ticket_note", Entity: "Tickets", Writes: []string{"Tickets", "TicketNotes"}},
		{Tool: "add_ticket_note", Entity: "TicketNotes"},
		{Tool: "add_ticket_note", Entity: "TicketNotes", Writes: []string{"TicketNotes"}},
		{Tool: "update_ticket", Entity: "Tickets"},
		{Tool: "resolve_ticket", Entity: "Tickets", Writes: []string{"Tickets", "TicketNotes"}},
		{Tool: "create_ticket", Entity: "Tickets"},
	}
	for _, w := range writes {
		w.Session, w.ID = session, 42
		w.Changes = map[string]any{"title": "Printer replaced", "status": 5}
		allowed := append([]string{w.Tool, w.Entity}, w.Writes...)
		name := w.Tool + " on " + w.Entity
		if len(w.Writes) > 0 {
			name += " writing " + strings.Join(w.Writes, ",")
		}
		t.Run(name, func(t *testing.T) {
			for _, tt := range []struct {
				name    string
				opts    Options
				wantErr error
			}{
				{"writable", Options{}, nil},
				{"read-only", Options{ReadOnly: true}, ErrReadOnly},
				{"read-only, allow list names the tool and its entities", Options{ReadOnly: true, AllowWrites: allowed}, ErrReadOnly},
			} {
				t.Run(tt.name, func(t *testing.T) {
					g := newGuard(t, tt.opts)
					require.NoError(t, g.RecordRead(bg, session, w.Entity, 42, ticketWith(t, nil)))

					err := g.Check(bg, w, ticketWith(t, nil))
					tok, _, issueErr := g.IssueToken(bg, w, version)
					if tt.wantErr == nil {
						require.NoError(t, err)
						require.NoError(t, issueErr)
						require.NotEmpty(t, tok)
						return
					}
					require.ErrorIs(t, err, tt.wantErr, "Check")
					require.ErrorIs(t, issueErr, tt.wantErr, "IssueToken")
					assert.Empty(t, tok)
				})
			}
		})
	}
}
