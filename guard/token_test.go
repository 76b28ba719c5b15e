package guard

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const version = "2024-05-01T09:30:00.123Z"

func statusWrite() Write {
	return Write{Session: session, Tool: "resolve_ticket", Entity: "Tickets", ID: 42, Changes: map[string]any{"status": 5, "resolution": "Replaced the printer"}}
}

func TestTokenRoundTrip(t *testing.T) {
	clock := newClock()
	g := newGuard(t, Options{Now: clock.Now})
	tok, expires, err := g.IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)

	assert.Regexp(t, regexp.MustCompile(`^[A-Za-z0-9_-]+$`), tok, "URL-safe, no padding")
	assert.LessOrEqual(t, len(tok), 64, "compact")
	assert.Equal(t, clock.Now().Add(DefaultTokenTTL), expires)
	assert.NotContains(t, tok, session)

	require.NoError(t, g.RedeemToken(bg, tok, statusWrite(), version))
}

func TestTokenBinding(t *testing.T) {
	g := newGuard(t, Options{})
	const tok = "<valid>" // replaced by a token issued for statusWrite() in each case

	tests := []struct {
		name    string
		token   string
		w       func(w *Write)
		version string
		wantErr error
	}{
		{"other session", tok, func(w *Write) { w.Session = "s2" }, version, ErrTokenInvalid},
		{"other tool", tok, func(w *Write) { w.Tool = "update_ticket" }, version, ErrTokenInvalid},
		{"other entity", tok, func(w *Write) { w.Entity = "Projects" }, version, ErrTokenInvalid},
		{"other id", tok, func(w *Write) { w.ID = 43 }, version, ErrTokenInvalid},
		{"other status", tok, func(w *Write) { w.Changes = map[string]any{"status": 8, "resolution": "Replaced the printer"} }, version, ErrTokenInvalid},
		{"other text", tok, func(w *Write) { w.Changes = map[string]any{"status": 5, "resolution": "Replaced the printer!"} }, version, ErrTokenInvalid},
		{"field added", tok, func(w *Write) { w.Changes["title"] = "x" }, version, ErrTokenInvalid},
		{"field dropped", tok, func(w *Write) { delete(w.Changes, "resolution") }, version, ErrTokenInvalid},
		{"no changes at all", tok, func(w *Write) { w.Changes = nil }, version, ErrTokenInvalid},
		{"version moved", tok, func(w *Write) {}, "2024-05-01T09:45:00Z", ErrTokenStale},
		{"empty token", "", func(w *Write) {}, version, ErrTokenInvalid},
		{"garbage", "not a token!", func(w *Write) {}, version, ErrTokenInvalid},
		{"truncated", tok + "[:-4]", func(w *Write) {}, version, ErrTokenInvalid},
		{"padded", tok + "AA", func(w *Write) {}, version, ErrTokenInvalid},
		// Valid rewrites that must not matter:
		{"entity case", tok, func(w *Write) { w.Entity = "tickets" }, version, nil},
		{"number spelling", tok, func(w *Write) {
			w.Changes = map[string]any{"resolution": "Replaced the printer", "status": json.Number("5")}
		}, version, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valid, _, err := g.IssueToken(bg, statusWrite(), version)
			require.NoError(t, err)
			token := strings.Replace(tt.token, tok, valid, 1)
			if strings.HasSuffix(token, "[:-4]") {
				token = valid[:len(valid)-4]
			}
			w := statusWrite()
			tt.w(&w)
			err = g.RedeemToken(bg, token, w, tt.version)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestTokenEveryByteIsSigned(t *testing.T) {
	g := newGuard(t, Options{})
	tok, _, err := g.IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	require.NoError(t, err)
	for i := range raw {
		flipped := append([]byte(nil), raw...)
		flipped[i] ^= 0x01
		err := g.RedeemToken(bg, base64.RawURLEncoding.EncodeToString(flipped), statusWrite(), version)
		require.ErrorIs(t, err, ErrTokenInvalid, "byte %d", i)
	}
	require.NoError(t, g.RedeemToken(bg, tok, statusWrite(), version), "the failed attempts did not use it up")
}

func TestTokenSingleUse(t *testing.T) {
	g := newGuard(t, Options{})
	tok, _, err := g.IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)
	require.NoError(t, g.RedeemToken(bg, tok, statusWrite(), version))

	require.ErrorIs(t, g.RedeemToken(bg, tok, statusWrite(), version), ErrTokenUsed)
	// A replay after the write finds the record moved by that write: still "used", not "stale".
	require.ErrorIs(t, g.RedeemToken(bg, tok, statusWrite(), "2024-05-01T10:00:00Z"), ErrTokenUsed)
}

func TestTokenStaleIsNotUsedUp(t *testing.T) {
	g := newGuard(t, Options{})
	tok, _, err := g.IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)
	require.ErrorIs(t, g.RedeemToken(bg, tok, statusWrite(), "moved"), ErrTokenStale)
	require.NoError(t, g.RedeemToken(bg, tok, statusWrite(), version))
}

func TestTokenExpiry(t *testing.T) {
	tests := []struct {
		name    string
		ttl     time.Duration
		wait    time.Duration
		wantErr error
	}{
		{"fresh", 0, 0, nil},
		{"just before default expiry", 0, DefaultTokenTTL - time.Second, nil},
		{"at default expiry", 0, DefaultTokenTTL, ErrTokenExpired},
		{"long after", 0, 24 * time.Hour, ErrTokenExpired},
		{"custom ttl, within", time.Minute, 59 * time.Second, nil},
		{"custom ttl, past", time.Minute, time.Minute + time.Second, ErrTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			g := newGuard(t, Options{Now: clock.Now, TokenTTL: tt.ttl})
			tok, _, err := g.IssueToken(bg, statusWrite(), version)
			require.NoError(t, err)
			clock.Advance(tt.wait)
			err = g.RedeemToken(bg, tok, statusWrite(), version)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestTokenReplicas(t *testing.T) {
	shared := NewMemoryStore(MemoryLimits{})
	issuer := newGuard(t, Options{Key: testKey, Store: shared})
	sameKey := newGuard(t, Options{Key: append([]byte(nil), testKey...), Store: shared})
	otherKey := newGuard(t, Options{Key: []byte("another key of 32 bytes, really!"), Store: shared})
	randomKey, err := New(Options{Store: shared}) // nil key: random per process
	require.NoError(t, err)

	tok, _, err := issuer.IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)

	require.ErrorIs(t, otherKey.RedeemToken(bg, tok, statusWrite(), version), ErrTokenInvalid)
	require.ErrorIs(t, randomKey.RedeemToken(bg, tok, statusWrite(), version), ErrTokenInvalid)
	require.NoError(t, sameKey.RedeemToken(bg, tok, statusWrite(), version), "honoured by a replica with the same key")
	require.ErrorIs(t, issuer.RedeemToken(bg, tok, statusWrite(), version), ErrTokenUsed, "and used up for all of them")
	require.ErrorIs(t, sameKey.RedeemToken(bg, tok, statusWrite(), version), ErrTokenUsed)
}

func TestTokenReplicasWithoutSharedStoreStillBindKey(t *testing.T) {
	a := newGuard(t, Options{Key: testKey})
	b := newGuard(t, Options{Key: testKey})
	tok, _, err := a.IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)
	require.NoError(t, b.RedeemToken(bg, tok, statusWrite(), version), "the key alone validates the token")
}

func TestTokenConcurrentRedeemExactlyOnce(t *testing.T) {
	shared := NewMemoryStore(MemoryLimits{})
	guards := []*Guard{newGuard(t, Options{Store: shared}), newGuard(t, Options{Store: shared})}
	tok, _, err := guards[0].IssueToken(bg, statusWrite(), version)
	require.NoError(t, err)

	var wg sync.WaitGroup
	results := make([]error, 32)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = guards[i%2].RedeemToken(bg, tok, statusWrite(), version)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		if err == nil {
			ok++
			continue
		}
		require.ErrorIs(t, err, ErrTokenUsed)
	}
	assert.Equal(t, 1, ok)
}

func TestIssueTokenRefuses(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		w       Write
		version string
		wantErr error
	}{
		{"read-only", Options{ReadOnly: true}, statusWrite(), version, ErrReadOnly},
		{"not allowed", Options{AllowWrites: []string{"add_ticket_note"}}, statusWrite(), version, ErrNotAllowed},
		{"no session", Options{}, Write{Tool: "resolve_ticket", Entity: "Tickets", ID: 42}, version, nil},
		{"no version", Options{}, statusWrite(), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard(t, tt.opts)
			tok, _, err := g.IssueToken(bg, tt.w, tt.version)
			require.Error(t, err)
			assert.Empty(t, tok)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestTokenErrorsTellWhatToDo(t *testing.T) {
	for _, err := range []error{ErrTokenInvalid, ErrTokenExpired, ErrTokenUsed, ErrTokenStale, ErrNotRead, ErrConflict} {
		msg := err.Error()
		assert.True(t, strings.Contains(msg, ":"), "%q explains itself", msg)
		assert.False(t, errors.Is(err, ErrConflict) && err != ErrConflict)
	}
}
