package guard

import (
	"context"
	"time"
)

// RecordKey names one record as one session saw it. Entity is lower-cased by the guard, so
// "Tickets" and "tickets" are the same record. For a call made for a user (WithUser), Session names
// the user as well as the session, so users never share what they read.
type RecordKey struct {
	Session string `json:"session"`
	Entity  string `json:"entity"`
	ID      int64  `json:"id"`
}

// ReadState is what a session knows about a record. Field values are canonical JSON with long values
// digested (see flatten), so a state is small and serialises as is for a Store shared by replicas.
// A state is immutable once saved: the guard never changes one it loaded, and a Store may hand out
// the value it holds.
type ReadState struct {
	Version string            `json:"version"` // VersionOf the record read
	Fields  map[string]string `json:"fields"`  // the record read
	// Expected is set by RecordWrite when the session's own write left the record at a version it does
	// not know (no read-back, or one that differed): the record as the write should have left it. The
	// session's writes are refused until it reads the record again.
	Expected map[string]string `json:"expected,omitempty"`
	At       time.Time         `json:"at"`
}

// Store holds the guard's state: what each session read, and which confirmation tokens were redeemed.
// Replicas behind a load balancer share one Store (and one Key) so that a token issued by one is
// honoured, once, by any. Implementations must be safe for concurrent use and bounded: forgetting a
// read is always safe (the session is asked to read again), forgetting a redeemed token before it
// expires is not (it could be replayed).
type Store interface {
	SaveRead(ctx context.Context, key RecordKey, state ReadState) error
	LoadRead(ctx context.Context, key RecordKey) (state ReadState, ok bool, err error)
	// Redeemed reports whether the token id was redeemed (and has not expired since).
	Redeemed(ctx context.Context, tokenID string) (bool, error)
	// Redeem marks the token id redeemed until expires, atomically: of concurrent calls with one id,
	// exactly one gets true.
	Redeem(ctx context.Context, tokenID string, expires time.Time) (bool, error)
}
