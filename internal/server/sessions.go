package server

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
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

// requireSession answers a request that needs a session and carries no session id with
// 400, as the Streamable HTTP transport specifies, and a GET (the server's stream to the
// client) or DELETE (end the session) whose session is unknown or expired with 404, the
// client's cue to initialize again. Every POST but initialize needs a session: mcp-go
// would answer one without an id with 404, which tells a client its session expired when
// it never sent one. mcp-go leaves GET and DELETE to the transport: it would open a stream
// that never ends for a GET without a session (minting an id that nothing ever ends) or
// with a made-up one, and answer a DELETE of an unknown session with 200; a POST with an
// unknown id it answers with 404 itself. Clients of the stateless revision have no
// sessions, and mcp-go answers them itself.
func (m *sessionManager) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			next.ServeHTTP(w, r)
			return
		}
		id := r.Header.Get(mcpserver.HeaderKeySessionID)
		switch r.Method {
		case http.MethodGet, http.MethodDelete:
			switch {
			case id == "":
				http.Error(w, "bad request: "+r.Method+" needs the "+mcpserver.HeaderKeySessionID+" header that initialize returned", http.StatusBadRequest)
			case !m.isLive(id):
				http.Error(w, "not found: unknown or expired session; initialize again", http.StatusNotFound)
			default:
				next.ServeHTTP(w, r)
			}
		case http.MethodPost:
			if id == "" && needsSession(r) {
				http.Error(w, "bad request: every request but initialize needs the "+mcpserver.HeaderKeySessionID+" header that initialize returned", http.StatusBadRequest)
				return
			}
			next.ServeHTTP(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// needsSession says whether a POST body is a request or notification of the session
// revisions other than initialize. The body is read and put back (the access policy has
// already read it into memory and bounded it). Anything else, a response to the server's
// own request or a body that is not JSON, is left to mcp-go, which answers it as the
// protocol says.
func needsSession(r *http.Request) bool {
	if r.Body == nil {
		return false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var msg struct {
		Method mcp.MCPMethod `json:"method"`
		Params struct {
			Meta *mcp.Meta `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(body, &msg) != nil {
		return false
	}
	return msg.Method != "" && msg.Method != mcp.MethodInitialize && !mcp.IsModernProtocol(msg.Params.Meta.ProtocolVersion())
}
