package guard

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecisions(t *testing.T) {
	g := newGuard(t, Options{SensitiveFields: []string{"contractID"}})
	update := func(changes map[string]any) Write { return ticketWrite(session, changes) }
	create := func(changes map[string]any) Write {
		return Write{Session: session, Tool: "create_ticket", Entity: "Tickets", Create: true, Changes: changes,
			Defaults: map[string]any{"status": jsonNumber("1"), "priority": jsonNumber("2")}}
	}
	note := func(publish any, defaults map[string]any) Write {
		return Write{Session: session, Tool: "add_ticket_note", Entity: "Tickets", ID: 42, Defaults: defaults,
			Changes: map[string]any{"note": map[string]any{"title": "t", "description": "d", "noteType": 13, "publish": publish}}}
	}
	noteDefaults := map[string]any{"note": map[string]any{"noteType": jsonNumber("13"), "publish": jsonNumber("1")}}
	tests := []struct {
		name string
		w    Write
		want []string
	}{
		{"routine update", update(map[string]any{"priority": 3, "title": "x"}), nil},
		{"status change", update(map[string]any{"status": 5, "title": "x"}), []string{"status"}},
		{"company move", update(map[string]any{"companyID": 7}), []string{"companyID"}},
		{"an update back to a default is still a change", Write{Session: session, Tool: "update_ticket", Entity: "Tickets", ID: 42,
			Changes: map[string]any{"status": 1}, Defaults: map[string]any{"status": 1}}, []string{"status"}},
		{"change approval", update(map[string]any{"changeApprovalStatus": 2, "changeApprovalBoard": 3, "changeApprovalType": 1}),
			[]string{"changeApprovalBoard", "changeApprovalStatus", "changeApprovalType"}},
		{"co-managed", update(map[string]any{"isVisibleToComanaged": true, "isAssignedToComanaged": false}),
			[]string{"isAssignedToComanaged", "isVisibleToComanaged"}},
		{"configured extra field", update(map[string]any{"contractID": 9}), []string{"contractID"}},
		{"create at the default status", create(map[string]any{"status": 1, "priority": 2, "companyID": 174, "title": "t"}), nil},
		{"create at another status", create(map[string]any{"status": 5, "companyID": 174}), []string{"status"}},
		{"create with an approval field without default", create(map[string]any{"status": 1, "changeApprovalStatus": 1}), []string{"changeApprovalStatus"}},
		{"note at the default visibility", note(1, noteDefaults), nil},
		{"note visible to the customer", note(3, noteDefaults), []string{"note.publish"}},
		{"note visible to co-managed staff", note(jsonNumber("2"), noteDefaults), []string{"note.publish"}},
		{"note with no default known", note(1, nil), []string{"note.publish"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, g.Decisions(tt.w))
			assert.Equal(t, len(tt.want) > 0, g.NeedsConfirmation(tt.w))
		})
	}
}

// A create has no record and no version: its token is bound to the session, the tool and the exact
// values, and confirms one create.
func TestCreateToken(t *testing.T) {
	g := newGuard(t, Options{})
	w := Write{Session: session, Tool: "create_ticket", Entity: "Tickets", Create: true, Changes: map[string]any{"status": 5, "title": "t", "companyID": 174}}
	tok, _, err := g.IssueToken(bg, w, CreateVersion)
	require.NoError(t, err)

	other := w
	other.Changes = map[string]any{"status": 5, "title": "another", "companyID": 174}
	require.ErrorIs(t, g.RedeemToken(bg, tok, other, CreateVersion), ErrTokenInvalid)
	otherSession := w
	otherSession.Session = "s2"
	require.ErrorIs(t, g.RedeemToken(bg, tok, otherSession, CreateVersion), ErrTokenInvalid)

	require.NoError(t, g.RedeemToken(bg, tok, w, CreateVersion))
	require.ErrorIs(t, g.RedeemToken(bg, tok, w, CreateVersion), ErrTokenUsed)
}
