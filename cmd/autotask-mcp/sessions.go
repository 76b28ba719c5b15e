package main

import (
	"crypto/rand"
	"errors"
	"sync"
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
	m.mu.Lock()
	_, ok := m.live[id]
	m.mu.Unlock()
	if !ok {
		return false, errUnknownSession
	}
	return false, nil
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
