package guard

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func asUser(name string, readOnly bool, allow ...string) context.Context {
	return WithUser(bg, NewUser(name, readOnly, allow))
}

// One user's confirmation token confirms nothing for another user, on the same session or
// without one, and a token issued where there are no users confirms nothing for a user.
func TestUserTokensAreTheirOwn(t *testing.T) {
	g := newGuard(t, Options{})
	priya, omar := asUser("priya", false), asUser("omar", false)
	tests := []struct {
		name          string
		issue, redeem context.Context
		wantErr       error
	}{
		{"the same user", priya, priya, nil},
		{"another user, same session", priya, omar, ErrTokenInvalid},
		{"no user", priya, bg, ErrTokenInvalid},
		{"issued with no user, redeemed by a user", bg, omar, ErrTokenInvalid},
		{"a user of the same name after a reload", priya, asUser("priya", false, "resolve_ticket"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, _, err := g.IssueToken(tt.issue, statusWrite(), version)
			require.NoError(t, err)
			err = g.RedeemToken(tt.redeem, tok, statusWrite(), version)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

// What one user read lets only that user write, whatever session id the other user's call carries.
func TestUserReadsAreTheirOwn(t *testing.T) {
	g := newGuard(t, Options{})
	priya, omar := asUser("priya", false), asUser("omar", false)
	fresh := decodeTicket(t, true)
	require.NoError(t, g.RecordRead(priya, session, "Tickets", 42, fresh))

	w := ticketWrite(session, map[string]any{"title": "Printer replaced"})
	require.ErrorIs(t, g.Check(omar, w, fresh), ErrNotRead, "omar never read the ticket")
	require.ErrorIs(t, g.Check(bg, w, fresh), ErrNotRead, "a call for no user never read it either")
	require.NoError(t, g.Check(priya, w, fresh))
}

// A user's own limits narrow the server's policy and never widen it, on every gate of a write.
func TestUserPolicy(t *testing.T) {
	tests := []struct {
		name    string
		server  Options
		ctx     context.Context
		wantErr error
	}{
		{"no limits", Options{}, asUser("priya", false), nil},
		{"read-only user", Options{}, asUser("priya", true), ErrReadOnly},
		{"allow list names the tool", Options{}, asUser("priya", false, "resolve_ticket"), nil},
		{"allow list names the entity", Options{}, asUser("priya", false, "tickets"), nil},
		{"allow list names another write", Options{}, asUser("priya", false, "log_time", "TimeEntries"), ErrNotAllowed},
		{"server read-only wins", Options{ReadOnly: true}, asUser("priya", false), ErrReadOnly},
		{"user cannot widen the server's list", Options{AllowWrites: []string{"log_time"}}, asUser("priya", false, "resolve_ticket"), ErrNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard(t, tt.server)
			fresh := decodeTicket(t, true)
			require.NoError(t, g.RecordRead(tt.ctx, session, "Tickets", 42, fresh))
			_, _, issueErr := g.IssueToken(tt.ctx, statusWrite(), version)
			checkErr := g.Check(tt.ctx, statusWrite(), fresh)
			if tt.wantErr == nil {
				require.NoError(t, issueErr)
				require.NoError(t, checkErr)
				return
			}
			require.ErrorIs(t, issueErr, tt.wantErr)
			require.ErrorIs(t, checkErr, tt.wantErr)
		})
	}
}

// Every audit line names the user the write was attempted for.
func TestAuditNamesTheUser(t *testing.T) {
	var buf bytes.Buffer
	g := newGuard(t, Options{Audit: &buf})
	e := AuditEntry{Session: session, Tool: "update_ticket", Entity: "Tickets", ID: 42, Outcome: OutcomeApplied}
	g.Audit(asUser("priya", false), e)
	g.Audit(bg, e)
	lines := auditLines(t, buf.Bytes())
	require.Len(t, lines, 2)
	assert.Equal(t, "priya", lines[0]["user"])
	assert.Equal(t, "", lines[1]["user"], "no user: the key is there, empty")
}
