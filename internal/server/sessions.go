package server

import (
	"crypto/rand"
	"errors"
	"net/http"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

// sessionManager issues Streamable HTTP session ids and knows which are live.
//
// mcp-go's default manager accepts any well-formed id, so an expired session would
// keep working with its state silently gone; its stateful manager remembers every
// terminated id forever, which is the leak we must not have. This one forgets an id
// when the session ends (DELETE, or the idle sweep), and answers an unknown id with an
// error, which the transport turns into a 404: the client's cue to initialize again.
type sessionManager struct {
	mu   sync.Mutex
	live map[string]struct{}
}

func newSessionManager() *sessionManager {
	return &sessionManager{live: map[string]struct{}{}}
}

var errUnknownSession = errors.New("unknown or expired session")

func (m *sessionManager) Generate() string {
	id := rand.Text() // 128+ bits from crypto/rand: not guessable
	m.mu.Lock()
	m.live[id] = struct{}{}
	m.mu.Unlock()
	return id
}

func (m *sessionManager) Validate(id string) (isTerminated bool, err error) {
	if !m.isLive(id) {
		return false, errUnknownSession
	}
	return false, nil
}

func (m *sessionManager) isLive(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.live[id]
	return ok
}

func (m *sessionManager) Terminate(id string) (isNotAllowed bool, err error) {
	m.mu.Lock()
	delete(m.live, id)
	m.mu.Unlock()
	return false, nil
}

// Len is the number of live sessions.
func (m *sessionManager) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.live)
}

// requireSession answers a GET (the server's stream to the client) or a DELETE (end the
// session) that carries no session id with 400, and one whose session is unknown or
// expired with 404, the client's cue to initialize again. mcp-go leaves both to the
// transport: it would open a stream that never ends for a GET without a session
// (minting an id that nothing ever ends) or with a made-up one, and answer a DELETE of
// an unknown session with 200. Clients of the stateless revision have no sessions, and
// mcp-go answers their GET and DELETE itself.
func (m *sessionManager) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodDelete) ||
			mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			next.ServeHTTP(w, r)
			return
		}
		id := r.Header.Get(mcpserver.HeaderKeySessionID)
		switch {
		case id == "":
			http.Error(w, "bad request: "+r.Method+" needs the "+mcpserver.HeaderKeySessionID+" header that initialize returned", http.StatusBadRequest)
		case !m.isLive(id):
			http.Error(w, "not found: unknown or expired session; initialize again", http.StatusNotFound)
		default:
			next.ServeHTTP(w, r)
		}
	})
}
