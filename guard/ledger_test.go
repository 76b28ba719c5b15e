package guard

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const session = "s1"

func TestCheck(t *testing.T) {
	longText := strings.Repeat("The printer in room 4 is on fire. ", 300)
	partial := map[string]any{"id": 42, "title": "Printer on fire", "status": 1, "lastActivityDate": "2024-05-01T09:30:00.123Z"}
	noDate := func(fields map[string]any) map[string]any {
		rec := ticketWith(t, fields)
		delete(rec, "lastActivityDate")
		rec["lastModifiedDateTime"] = "2024-05-01T09:30:00Z"
		for k, v := range fields {
			rec[k] = v
		}
		return rec
	}
	readTicket := func(g *Guard) {
		require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, decodeTicket(t, true)))
	}
	afterOwnWrite := func(extra map[string]any) map[string]any {
		rec := ticketWith(t, map[string]any{
			"status": 5, "lastActivityDate": "2024-05-01T10:00:00Z",
			"completedDate": "2024-05-01T10:00:00Z", "resolvedDateTime": "2024-05-01T10:00:00Z",
		})
		for k, v := range extra {
			rec[k] = v
		}
		return rec
	}
	// ownWrite: the session read the ticket and set status 5; the API stamped what it stamps, and the
	// read-back right after shows it (readBack nil: the read-back failed).
	ownWrite := func(readBack map[string]any) func(g *Guard) {
		return func(g *Guard) {
			readTicket(g)
			require.NoError(t, g.RecordWrite(bg, session, "Tickets", 42, ticketWith(t, map[string]any{"status": 5}), readBack))
		}
	}
	// someoneElsesNote moves lastActivityDate past the one the session's own write produced, and
	// nothing else: another user added a note after the write.
	someoneElsesNote := map[string]any{"lastActivityDate": "2024-05-01T10:05:00Z"}

	tests := []struct {
		name    string
		setup   func(g *Guard)
		write   Write
		fresh   map[string]any
		wantErr error
		changed []string // fields a ConflictError must list, in order
	}{
		{
			name:    "never read",
			setup:   func(g *Guard) {},
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   decodeTicket(t, true),
			wantErr: ErrNotRead,
		},
		{
			name:    "read by another session",
			setup:   func(g *Guard) { require.NoError(t, g.RecordRead(bg, "other", "Tickets", 42, decodeTicket(t, true))) },
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   decodeTicket(t, true),
			wantErr: ErrNotRead,
		},
		{
			name: "another record read",
			setup: func(g *Guard) {
				require.NoError(t, g.RecordRead(bg, session, "Tickets", 43, ticketWith(t, map[string]any{"id": 43})))
			},
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   decodeTicket(t, true),
			wantErr: ErrNotRead,
		},
		{
			name:  "unchanged",
			setup: readTicket,
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: decodeTicket(t, true),
		},
		{
			name:  "read as float64, fresh as json.Number",
			setup: func(g *Guard) { require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, decodeTicket(t, false))) },
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: decodeTicket(t, true),
		},
		{
			name:  "entity name case does not matter",
			setup: func(g *Guard) { require.NoError(t, g.RecordRead(bg, session, "tickets", 42, decodeTicket(t, true))) },
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: decodeTicket(t, true),
		},
		{
			name:  "partial read (includeFields) then full fresh record",
			setup: func(g *Guard) { require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, partial)) },
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: decodeTicket(t, true),
		},
		{
			name: "snapshot with a key the API does not send",
			setup: func(g *Guard) {
				require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, ticketWith(t, map[string]any{"statusLabel": "New"})))
			},
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: decodeTicket(t, true),
		},
		{
			name: "no lastActivityDate: field no longer sent counts as null",
			setup: func(g *Guard) {
				require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, noDate(map[string]any{"assignedResourceID": 9})))
			},
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: func() map[string]any {
				rec := noDate(nil)
				delete(rec, "assignedResourceID")
				return rec
			}(),
			wantErr: ErrConflict,
			changed: []string{"assignedResourceID"},
		},
		{
			name:    "status changed by someone else",
			setup:   readTicket,
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   ticketWith(t, map[string]any{"status": 8, "lastActivityDate": "2024-05-01T09:45:00Z"}),
			wantErr: ErrConflict,
			changed: []string{"status"},
		},
		{
			name:    "only lastActivityDate moved (a note was added)",
			setup:   readTicket,
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   ticketWith(t, map[string]any{"lastActivityDate": "2024-05-01T09:45:00Z"}),
			wantErr: ErrConflict,
			changed: []string{"lastActivityDate"},
		},
		{
			name:    "field changed without lastActivityDate moving",
			setup:   readTicket,
			write:   ticketWrite(session, map[string]any{"status": 5}),
			fresh:   ticketWith(t, map[string]any{"title": "Printer fine"}),
			wantErr: ErrConflict,
			changed: []string{"title"},
		},
		{
			name:    "UDF changed, reported by name",
			setup:   readTicket,
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   ticketWith(t, map[string]any{"lastActivityDate": "2024-05-01T09:45:00Z", "userDefinedFields": []any{map[string]any{"name": "Site", "value": "Branch"}}}),
			wantErr: ErrConflict,
			changed: []string{"userDefinedFields.Site"},
		},
		{
			name:    "long description changed",
			setup:   readTicket,
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   ticketWith(t, map[string]any{"description": longText, "lastActivityDate": "2024-05-01T09:45:00Z"}),
			wantErr: ErrConflict,
			changed: []string{"description"},
		},
		{
			name:  "no lastActivityDate: unchanged",
			setup: func(g *Guard) { require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, noDate(nil))) },
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: noDate(nil),
		},
		{
			name:  "no lastActivityDate: only an API stamp moved",
			setup: func(g *Guard) { require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, noDate(nil))) },
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: noDate(map[string]any{"lastModifiedDateTime": "2024-05-01T09:50:00Z"}),
		},
		{
			name:    "no lastActivityDate: field changed",
			setup:   func(g *Guard) { require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, noDate(nil))) },
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   noDate(map[string]any{"priority": 1}),
			wantErr: ErrConflict,
			changed: []string{"priority"},
		},
		{
			name:  "after own write, the version read back is what the session knows",
			setup: ownWrite(afterOwnWrite(nil)),
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: afterOwnWrite(nil),
		},
		{
			name:    "after own write, someone else changed priority too",
			setup:   ownWrite(afterOwnWrite(nil)),
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   afterOwnWrite(map[string]any{"priority": 1}),
			wantErr: ErrConflict,
			changed: []string{"priority"},
		},
		{
			name:    "after own write, someone else added a note",
			setup:   ownWrite(afterOwnWrite(nil)),
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   afterOwnWrite(someoneElsesNote),
			wantErr: ErrConflict,
			changed: []string{"lastActivityDate"},
		},
		{
			name:    "after own write not read back, even an unchanged record needs a read",
			setup:   ownWrite(nil),
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   afterOwnWrite(nil),
			wantErr: ErrReadAgain,
		},
		{
			name:    "after own write not read back, a changed field is a conflict",
			setup:   ownWrite(nil),
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   afterOwnWrite(map[string]any{"priority": 1}),
			wantErr: ErrConflict,
			changed: []string{"priority"},
		},
		{
			name:    "own write read back with someone else's change in it",
			setup:   ownWrite(afterOwnWrite(map[string]any{"title": "Moved in between"})),
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   afterOwnWrite(map[string]any{"title": "Moved in between"}),
			wantErr: ErrConflict,
			changed: []string{"title"},
		},
		{
			name: "own write of a created record counts as read",
			setup: func(g *Guard) {
				require.NoError(t, g.RecordWrite(bg, session, "Tickets", 42, map[string]any{"id": 42, "title": "Printer on fire", "status": 1}, decodeTicket(t, true)))
			},
			write: ticketWrite(session, map[string]any{"title": "x"}),
			fresh: decodeTicket(t, true),
		},
		{
			name:    "read-only beats everything",
			setup:   readTicket,
			write:   ticketWrite(session, map[string]any{"title": "x"}),
			fresh:   decodeTicket(t, true),
			wantErr: ErrReadOnly,
		},
		{
			name:    "not in the allow list",
			setup:   readTicket,
			write:   Write{Session: session, Tool: "resolve_ticket", Entity: "Tickets", ID: 42},
			fresh:   decodeTicket(t, true),
			wantErr: ErrNotAllowed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{}
			switch tt.wantErr {
			case ErrReadOnly:
				opts.ReadOnly = true
			case ErrNotAllowed:
				opts.AllowWrites = []string{"update_ticket", "add_ticket_note"}
			}
			g := newGuard(t, opts)
			tt.setup(g)
			err := g.Check(bg, tt.write, tt.fresh)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			if tt.wantErr != ErrConflict {
				return
			}
			var ce *ConflictError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "Tickets", ce.Entity)
			assert.Equal(t, int64(42), ce.ID)
			var fields []string
			for _, c := range ce.Changed {
				fields = append(fields, c.Field)
				for _, v := range []any{c.Before, c.After} {
					if s, ok := v.(string); ok {
						assert.LessOrEqual(t, utf8.RuneCountInString(s), conflictValueRunes+40, "values are truncated")
					}
				}
			}
			assert.Equal(t, tt.changed, fields)
			assert.Less(t, len(err.Error()), 2000, "the message does not flood the result")
			assert.Contains(t, err.Error(), "get_ticket")
		})
	}
}

func TestCheckConflictReportsBeforeAndAfter(t *testing.T) {
	g := newGuard(t, Options{})
	require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, decodeTicket(t, true)))
	err := g.Check(bg, ticketWrite(session, nil), ticketWith(t, map[string]any{"status": 8, "title": "Moved", "lastActivityDate": "2024-05-01T09:45:00Z"}))

	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	require.Len(t, ce.Changed, 2)
	assert.Equal(t, FieldChange{Field: "status", Before: jsonNumber("1"), After: jsonNumber("8")}, ce.Changed[0])
	assert.Equal(t, FieldChange{Field: "title", Before: "Printer on fire", After: "Moved"}, ce.Changed[1])
	assert.Contains(t, err.Error(), `status: 1 → 8`)
	assert.Contains(t, err.Error(), `title: "Printer on fire" → "Moved"`)
}

func TestCheckAfterOwnWriteKnowsItsVersion(t *testing.T) {
	g := newGuard(t, Options{})
	require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, decodeTicket(t, true)))
	require.NoError(t, g.Check(bg, ticketWrite(session, map[string]any{"status": 5}), decodeTicket(t, true)))
	landed := ticketWith(t, map[string]any{"status": 5, "lastActivityDate": "2024-05-01T10:00:00Z", "completedDate": "2024-05-01T10:00:00Z"})
	require.NoError(t, g.RecordWrite(bg, session, "Tickets", 42, ticketWith(t, map[string]any{"status": 5}), landed))

	require.NoError(t, g.Check(bg, ticketWrite(session, map[string]any{"title": "x"}), landed))
	require.NoError(t, g.Check(bg, ticketWrite(session, map[string]any{"title": "x"}), landed), "still fine on the same version")

	// Another user's note after the write moves lastActivityDate and nothing else: a conflict.
	noteAdded := ticketWith(t, map[string]any{"status": 5, "lastActivityDate": "2024-05-01T10:05:00Z", "completedDate": "2024-05-01T10:00:00Z"})
	err := g.Check(bg, ticketWrite(session, map[string]any{"title": "x"}), noteAdded)
	require.ErrorIs(t, err, ErrConflict)
}

// The session adds a note (nothing but lastActivityDate moves), someone else adds one after it, then
// the session writes again: refused. Without someone else's note, its second write goes through.
func TestOwnNoteThenSomeoneElsesNote(t *testing.T) {
	read := decodeTicket(t, true)
	afterOwnNote := ticketWith(t, map[string]any{"lastActivityDate": "2024-05-01T10:00:00Z"})
	afterTheirNote := ticketWith(t, map[string]any{"lastActivityDate": "2024-05-01T10:00:07Z"})
	tests := []struct {
		name    string
		fresh   map[string]any
		wantErr error
	}{
		{"only the own note", afterOwnNote, nil},
		{"someone else's note after it", afterTheirNote, ErrConflict},
	}
	for _, tt := range tests {
		for _, tool := range []string{"resolve_ticket", "update_ticket"} {
			t.Run(tt.name+"/"+tool, func(t *testing.T) {
				g := newGuard(t, Options{})
				require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, read))
				note := Write{Session: session, Tool: "add_ticket_note", Entity: "Tickets", ID: 42, Changes: map[string]any{"note": map[string]any{"title": "t"}}}
				require.NoError(t, g.Check(bg, note, read))
				require.NoError(t, g.RecordWrite(bg, session, "Tickets", 42, read, afterOwnNote))

				w := Write{Session: session, Tool: tool, Entity: "Tickets", ID: 42, Changes: map[string]any{"resolution": "fixed"}}
				err := g.Check(bg, w, tt.fresh)
				if tt.wantErr == nil {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, tt.wantErr)
				assert.Contains(t, err.Error(), "lastActivityDate")
			})
		}
	}
}

func TestCheckAndRecordRefuseBadInput(t *testing.T) {
	g := newGuard(t, Options{})
	require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, decodeTicket(t, true)))
	cancelled, cancel := context.WithCancel(bg)
	cancel()

	tests := []struct {
		name string
		err  error
	}{
		{"read with empty session", g.RecordRead(bg, "", "Tickets", 42, decodeTicket(t, true))},
		{"read with empty entity", g.RecordRead(bg, session, "", 42, decodeTicket(t, true))},
		{"read of nil record", g.RecordRead(bg, session, "Tickets", 42, nil)},
		{"read filed under another id", g.RecordRead(bg, session, "Tickets", 43, decodeTicket(t, true))},
		{"write of nil record", g.RecordWrite(bg, session, "Tickets", 42, nil, decodeTicket(t, true))},
		{"write read back under another id", g.RecordWrite(bg, session, "Tickets", 42, decodeTicket(t, true), ticketWith(t, map[string]any{"id": 43}))},
		{"check of nil fresh record", g.Check(bg, ticketWrite(session, nil), nil)},
		{"check of a fresh record with another id", g.Check(bg, ticketWrite(session, nil), ticketWith(t, map[string]any{"id": 43}))},
		{"check with cancelled context", g.Check(cancelled, ticketWrite(session, nil), decodeTicket(t, true))},
		{"read with cancelled context", g.RecordRead(cancelled, session, "Tickets", 42, decodeTicket(t, true))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			assert.False(t, errors.Is(tt.err, ErrConflict) || errors.Is(tt.err, ErrNotRead), "a bad call is not a policy answer: %v", tt.err)
		})
	}
	require.NoError(t, g.Check(bg, ticketWrite(session, nil), decodeTicket(t, true)), "the bad calls left the ledger intact")
}

// SeenValue is the field as the session last knew it: read, or expected after its own write whose
// read-back did not settle it.
func TestSeenValue(t *testing.T) {
	g := newGuard(t, Options{})
	_, ok := g.SeenValue(bg, session, "Tickets", 42, "status")
	assert.False(t, ok, "not read yet")

	require.NoError(t, g.RecordRead(bg, session, "Tickets", 42, decodeTicket(t, true)))
	tests := []struct {
		field, want string
	}{
		{"status", "1"},
		{"title", `"Printer on fire"`},
		{"assignedResourceID", "null"},
		{"noSuchField", "null"},
	}
	for _, tt := range tests {
		got, ok := g.SeenValue(bg, session, "tickets", 42, tt.field)
		assert.True(t, ok, tt.field)
		assert.Equal(t, tt.want, got, tt.field)
	}
	_, ok = g.SeenValue(bg, "another session", "Tickets", 42, "status")
	assert.False(t, ok, "another session has not read it")

	// The session's own write, not settled by a read-back: what it wrote.
	require.NoError(t, g.RecordWrite(bg, session, "Tickets", 42, ticketWith(t, map[string]any{"status": 5}), nil))
	got, ok := g.SeenValue(bg, session, "Tickets", 42, "status")
	assert.True(t, ok)
	assert.Equal(t, "5", got)
}
