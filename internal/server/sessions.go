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
//
// On a server with users, a session belongs to the user whose initialize created it: a
// request on it with another user's token is answered as if the session did not exist, so
// one user can neither act in another's session nor learn that it exists.
type sessionManager struct {
	mu   sync.Mutex
	live map[string]string // session id -> the user who created it ("" on a server without users)
}

func newSessionManager() *sessionManager {
	return &sessionManager{live: map[string]string{}}
}

var errUnknownSession = errors.New("unknown or expired session")

func (m *sessionManager) Generate() string { return m.generateFor("") }

// generateFor issues a session id owned by user.
func (m *sessionManager) generateFor(user string) string {
	id := rand.Text() // 128+ bits from crypto/rand: not guessable
	m.mu.Lock()
	m.live[id] = user
	m.mu.Unlock()
	return id
}

// ResolveSessionIdManager is the manager for one request: sessions it creates belong to
// the request's user. The transport's idle sweep asks with no request, and gets m.
func (m *sessionManager) ResolveSessionIdManager(r *http.Request) mcpserver.SessionIdManager {
	if r == nil {
		return m
	}
	return userSessions{m: m, user: userName(r.Context())}
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

// isLiveFor reports whether id is a live session of user.
func (m *sessionManager) isLiveFor(id, user string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	owner, ok := m.live[id]
	return ok && owner == user
}

// ownedByOther reports whether id is a live session of a user other than user: one the
// request must be told does not exist.
func (m *sessionManager) ownedByOther(id, user string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	owner, ok := m.live[id]
	return ok && owner != user
}

func (m *sessionManager) Terminate(id string) (isNotAllowed bool, err error) {
	m.mu.Lock()
	delete(m.live, id)
	m.mu.Unlock()
	return false, nil
}

// userSessions is the session manager as one user's request sees it: only that user's
// sessions exist.
type userSessions struct {
	m    *sessionManager
	user string
}

func (u userSessions) Generate() string { return u.m.generateFor(u.user) }

func (u userSessions) Validate(id string) (isTerminated bool, err error) {
	if !u.m.isLiveFor(id, u.user) {
		return false, errUnknownSession
	}
	return false, nil
}

func (u userSessions) Terminate(id string) (isNotAllowed bool, err error) {
	if !u.m.isLiveFor(id, u.user) {
		return true, errUnknownSession
	}
	return u.m.Terminate(id)
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
// unknown id it answers with 404 itself: it asks the manager ResolveSessionIdManager gives
// for the request, so a session of another user is unknown, whatever the method. Clients of the stateless revision have no sessions, and mcp-go answers them itself.
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
			case !m.isLiveFor(id, userName(r.Context())):
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
