package server

import (
	"context"
	"crypto/rand"
	"net/http"
	"sync"
)

// sseOwners binds each SSE session to the user whose stream (GET /sse) opened it: a message
// (POST /message?sessionId=...) to it with another user's token is answered as if the session
// did not exist, so one user can never act in another's session. On a server without users
// every session belongs to "" and nothing is refused.
type sseOwners struct {
	mu     sync.Mutex
	owners map[string]string // session id -> user
}

func newSSEOwners() *sseOwners { return &sseOwners{owners: map[string]string{}} }

// sseSessionSlot is where generate leaves the id of the session a stream opened, for stream
// to forget when the stream ends.
type sseSessionSlot struct{}

// generate is the SSE transport's session id generator: an id nobody can guess, owned by the
// user of the request that opens the stream.
func (o *sseOwners) generate(ctx context.Context, _ *http.Request) (string, error) {
	id := rand.Text()
	o.mu.Lock()
	o.owners[id] = userName(ctx)
	o.mu.Unlock()
	if slot, ok := ctx.Value(sseSessionSlot{}).(*string); ok {
		*slot = id
	}
	return id, nil
}

// stream serves the SSE stream and forgets its session's owner once the stream ends.
func (o *sseOwners) stream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id string
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sseSessionSlot{}, &id)))
		if id != "" {
			o.mu.Lock()
			delete(o.owners, id)
			o.mu.Unlock()
		}
	})
}

// messages refuses a message to a live session of another user.
func (o *sseOwners) messages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		owner, live := o.owners[r.URL.Query().Get("sessionId")]
		o.mu.Unlock()
		if live && owner != userName(r.Context()) {
			http.Error(w, "not found: unknown or expired session; open a new stream", http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}
