package server

import (
	"context"
	"net/http"
)

// sseOwners binds each SSE session to the user whose stream (GET /sse) opened it: a message
// (POST /message?sessionId=...) to it with another user's token is answered as if the session
// did not exist, so one user can never act in another's session. On a server without users
// every session belongs to "" and nothing is refused. The ids and their owners are kept as the
// Streamable HTTP transport keeps them, in a sessionManager.
type sseOwners struct{ sessions *sessionManager }

func newSSEOwners() sseOwners { return sseOwners{sessions: newSessionManager()} }

// sseSessionSlot is where generate leaves the id of the session a stream opened, for stream
// to forget when the stream ends.
type sseSessionSlot struct{}

// generate is the SSE transport's session id generator: an id nobody can guess, owned by the
// user of the request that opens the stream.
func (o sseOwners) generate(ctx context.Context, _ *http.Request) (string, error) {
	id := o.sessions.generateFor(userName(ctx))
	if slot, ok := ctx.Value(sseSessionSlot{}).(*string); ok {
		*slot = id
	}
	return id, nil
}

// stream serves the SSE stream and forgets its session's owner once the stream ends.
func (o sseOwners) stream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id string
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sseSessionSlot{}, &id)))
		if id != "" {
			_, _ = o.sessions.Terminate(id)
		}
	})
}

// messages refuses a message to a live session of another user.
func (o sseOwners) messages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.sessions.ownedByOther(r.URL.Query().Get("sessionId"), userName(r.Context())) {
			http.Error(w, "not found: unknown or expired session; open a new stream", http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}
