package guard

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testclock"
)

func key(s string, id int64) RecordKey { return RecordKey{Session: s, Entity: "tickets", ID: id} }

func state(v string) ReadState { return ReadState{Version: v, Fields: map[string]string{"id": "1"}} }

func loaded(t *testing.T, m *MemoryStore, k RecordKey) bool {
	t.Helper()
	_, ok, err := m.LoadRead(bg, k)
	require.NoError(t, err)
	return ok
}

func TestMemoryStoreRecordLRU(t *testing.T) {
	m := NewMemoryStore(MemoryLimits{RecordsPerSession: 2})
	require.NoError(t, m.SaveRead(bg, key("a", 1), state("1")))
	require.NoError(t, m.SaveRead(bg, key("a", 2), state("2")))
	require.True(t, loaded(t, m, key("a", 1)), "touch 1 so 2 is the oldest")
	require.NoError(t, m.SaveRead(bg, key("a", 3), state("3")))

	assert.True(t, loaded(t, m, key("a", 1)))
	assert.False(t, loaded(t, m, key("a", 2)), "least recently used record forgotten")
	assert.True(t, loaded(t, m, key("a", 3)))

	require.NoError(t, m.SaveRead(bg, key("a", 3), state("3b")), "overwrite does not grow")
	st, ok, err := m.LoadRead(bg, key("a", 3))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "3b", st.Version)
	assert.Equal(t, MemoryStats{Sessions: 1, Records: 2}, m.Stats())
}

func TestMemoryStoreSessionLimits(t *testing.T) {
	tests := []struct {
		name  string
		lim   MemoryLimits
		steps func(t *testing.T, m *MemoryStore, clock *testclock.Clock)
	}{
		{"idle session expires", MemoryLimits{SessionIdle: time.Hour}, func(t *testing.T, m *MemoryStore, clock *testclock.Clock) {
			require.NoError(t, m.SaveRead(bg, key("a", 1), state("1")))
			require.NoError(t, m.SaveRead(bg, key("b", 1), state("1")))
			clock.Advance(59 * time.Minute)
			require.True(t, loaded(t, m, key("b", 1)), "use keeps b alive")
			clock.Advance(2 * time.Minute)
			assert.False(t, loaded(t, m, key("a", 1)))
			assert.True(t, loaded(t, m, key("b", 1)))
			assert.Equal(t, MemoryStats{Sessions: 1, Records: 1}, m.Stats())
		}},
		{"least recently used session dropped", MemoryLimits{MaxSessions: 2}, func(t *testing.T, m *MemoryStore, clock *testclock.Clock) {
			require.NoError(t, m.SaveRead(bg, key("a", 1), state("1")))
			require.NoError(t, m.SaveRead(bg, key("b", 1), state("1")))
			require.True(t, loaded(t, m, key("a", 1)))
			require.NoError(t, m.SaveRead(bg, key("c", 1), state("1")))
			assert.True(t, loaded(t, m, key("a", 1)))
			assert.False(t, loaded(t, m, key("b", 1)))
			assert.True(t, loaded(t, m, key("c", 1)))
		}},
		{"global record cap takes from the least recent session", MemoryLimits{MaxRecords: 3}, func(t *testing.T, m *MemoryStore, clock *testclock.Clock) {
			require.NoError(t, m.SaveRead(bg, key("a", 1), state("1")))
			require.NoError(t, m.SaveRead(bg, key("a", 2), state("1")))
			require.NoError(t, m.SaveRead(bg, key("b", 1), state("1")))
			require.NoError(t, m.SaveRead(bg, key("b", 2), state("1")))
			assert.False(t, loaded(t, m, key("a", 1)))
			assert.True(t, loaded(t, m, key("a", 2)))
			assert.True(t, loaded(t, m, key("b", 1)))
			assert.True(t, loaded(t, m, key("b", 2)))
			assert.Equal(t, MemoryStats{Sessions: 2, Records: 3}, m.Stats())
		}},
		{"redeemed tokens pruned after expiry", MemoryLimits{}, func(t *testing.T, m *MemoryStore, clock *testclock.Clock) {
			first, err := m.Redeem(bg, "t1", clock.Now().Add(time.Minute))
			require.NoError(t, err)
			require.True(t, first)
			first, err = m.Redeem(bg, "t1", clock.Now().Add(time.Minute))
			require.NoError(t, err)
			require.False(t, first, "second redeem of one id")
			_, err = m.Redeem(bg, "t2", clock.Now().Add(time.Hour))
			require.NoError(t, err)
			clock.Advance(time.Minute)
			used, err := m.Redeemed(bg, "t1")
			require.NoError(t, err)
			assert.False(t, used, "forgotten once expired")
			used, err = m.Redeemed(bg, "t2")
			require.NoError(t, err)
			assert.True(t, used)
			assert.Equal(t, 1, m.Stats().Redeemed)
		}},
		{"full of unexpired tokens refuses instead of forgetting", MemoryLimits{MaxRedeemed: 2}, func(t *testing.T, m *MemoryStore, clock *testclock.Clock) {
			for _, id := range []string{"t1", "t2"} {
				_, err := m.Redeem(bg, id, clock.Now().Add(time.Minute))
				require.NoError(t, err)
			}
			_, err := m.Redeem(bg, "t3", clock.Now().Add(time.Minute))
			require.ErrorIs(t, err, ErrStoreFull)
			used, err := m.Redeemed(bg, "t1")
			require.NoError(t, err)
			assert.True(t, used, "nothing unexpired was forgotten")
			clock.Advance(time.Minute)
			first, err := m.Redeem(bg, "t3", clock.Now().Add(time.Minute))
			require.NoError(t, err)
			assert.True(t, first)
		}},
		{"cancelled context", MemoryLimits{}, func(t *testing.T, m *MemoryStore, clock *testclock.Clock) {
			ctx, cancel := context.WithCancel(bg)
			cancel()
			require.Error(t, m.SaveRead(ctx, key("a", 1), state("1")))
			_, _, err := m.LoadRead(ctx, key("a", 1))
			require.Error(t, err)
			_, err = m.Redeemed(ctx, "t")
			require.Error(t, err)
			_, err = m.Redeem(ctx, "t", clock.Now())
			require.Error(t, err)
			assert.Equal(t, MemoryStats{}, m.Stats())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			tt.lim.Now = clock.Now
			tt.steps(t, NewMemoryStore(tt.lim), clock)
		})
	}
}

func TestGuardRefusesWhenStoreIsFull(t *testing.T) {
	g := newGuard(t, Options{Store: NewMemoryStore(MemoryLimits{MaxRedeemed: 1})})
	for i, want := range []error{nil, ErrStoreFull} {
		w := statusWrite()
		w.ID = int64(i)
		tok, _, err := g.IssueToken(bg, w, version)
		require.NoError(t, err)
		err = g.RedeemToken(bg, tok, w, version)
		if want == nil {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, want)
			assert.Equal(t, OutcomeRefused, OutcomeOf(err))
		}
	}
}

// TestMemoryStoreBoundedUnderChurn drives 10,000 reads, writes, checks and confirmations over
// ever-new sessions and records, and proves the store's counts and the process heap stay bounded.
func TestMemoryStoreBoundedUnderChurn(t *testing.T) {
	clock := newClock()
	lim := MemoryLimits{RecordsPerSession: 16, MaxRecords: 400, MaxSessions: 64, SessionIdle: time.Hour, Now: clock.Now}
	store := NewMemoryStore(lim)
	g := newGuard(t, Options{Store: store, Now: clock.Now, TokenTTL: time.Minute})
	rng := rand.New(rand.NewPCG(1, 2))
	rec := decodeTicket(t, true)

	churn := func(round, calls int) {
		for i := range calls {
			s := fmt.Sprintf("session-%d-%d", round, rng.IntN(200))
			id := int64(rng.IntN(1000)) + 1
			r := maps.Clone(rec)
			r["id"] = id
			require.NoError(t, g.RecordRead(bg, s, "Tickets", id, r))
			w := Write{Session: s, Tool: "update_ticket", Entity: "Tickets", ID: id, Changes: map[string]any{"status": i}}
			require.NoError(t, g.Check(bg, w, r))
			tok, _, err := g.IssueToken(bg, w, VersionOf(rec))
			require.NoError(t, err)
			require.NoError(t, g.RedeemToken(bg, tok, w, VersionOf(rec)))
			require.NoError(t, g.RecordWrite(bg, s, "Tickets", id, r, r))
			clock.Advance(100 * time.Millisecond)

			st := store.Stats()
			require.LessOrEqual(t, st.Sessions, lim.MaxSessions)
			require.LessOrEqual(t, st.Records, lim.MaxRecords)
			require.LessOrEqual(t, st.Redeemed, 601, "one token a 100ms tick lives a minute")
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}

	churn(0, 3_000) // warm up: fill the store to its limits
	before := heap()
	churn(1, 10_000)
	after := heap()
	assert.Less(t, int64(after)-int64(before), int64(4<<20), "heap grew from %d to %d bytes", before, after)

	clock.Advance(2 * time.Hour)
	assert.Equal(t, MemoryStats{}, store.Stats(), "everything idle is gone")
}
