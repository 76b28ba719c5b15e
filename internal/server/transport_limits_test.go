package server

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stallBound is how long a test waits for the server to end a connection before it
// counts the connection as held; the server's own limits in these tests are far
// shorter, so the bound only matters when a protection is missing.
const stallBound = 30 * time.Second

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(entries)
}

// TestRefusedConnectionsAreReleased sends what held a server's file descriptors
// without end: requests without a token that announce a body and never send it. Every
// one must get its 401 and its connection closed by the server. The server's own
// timeouts are an hour here, so only the refusal itself can let go in time.
func TestRefusedConnectionsAreReleased(t *testing.T) {
	// Not parallel: it counts this process's file descriptors.
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc/self/fd to count open files")
	}
	hour := httpLimits{header: time.Hour, read: time.Hour, write: time.Hour, idle: time.Hour}
	srv := startInProcessHTTP(t, HTTPConfig{Token: testToken, limits: hour})
	baseline := openFDs(t)

	const sockets = 200
	request := "POST " + MCPPath + " HTTP/1.1\r\nHost: " + srv.Addr + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
	deadline := time.Now().Add(stallBound)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		problems []string
	)
	for i := range sockets {
		wg.Go(func() {
			if problem := refusedAndClosed(srv.Addr, request, deadline); problem != "" {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("socket %d: %s", i, problem))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Empty(t, problems, "%d of %d sockets were not answered 401 and closed", len(problems), sockets)
	require.Eventually(t, func() bool { return openFDs(t) <= baseline }, 10*time.Second, 20*time.Millisecond,
		"open files back to %d; have %d", baseline, openFDs(t))
}

// refusedAndClosed sends request on a new connection and says what went wrong, if the
// server did not answer 401 and close the connection before deadline.
func refusedAndClosed(addr, request string, deadline time.Time) string {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err.Error()
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	if _, err := io.WriteString(conn, request); err != nil {
		return err.Error()
	}
	got, err := io.ReadAll(conn)
	switch {
	case err != nil:
		return fmt.Sprintf("connection not closed (%v) after %q", err, got)
	case !strings.HasPrefix(string(got), "HTTP/1.1 401 "):
		return fmt.Sprintf("answered %q", got)
	}
	return ""
}

// healthOn asks for /healthz on conn and reads the answer.
func healthOn(conn net.Conn, addr string) (*http.Response, error) {
	return exchangeOn(conn, []byte("GET "+HealthPath+" HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"))
}

// healthOnNewConn reports whether a new connection is served.
func healthOnNewConn(addr string) bool {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	resp, err := healthOn(conn, addr)
	return err == nil && resp.StatusCode == http.StatusOK
}

// TestConnectionLimit holds every slot open and requires one more connection to be
// closed unanswered, and a slot to come free once a held connection ends.
func TestConnectionLimit(t *testing.T) {
	t.Parallel()
	srv := startInProcessHTTP(t, HTTPConfig{limits: httpLimits{maxConns: 2}})
	held := make([]net.Conn, 2)
	for i := range held {
		conn, err := net.Dial("tcp", srv.Addr)
		require.NoError(t, err)
		t.Cleanup(func() { _ = conn.Close() })
		resp, err := healthOn(conn, srv.Addr) // kept alive: the connection keeps its slot
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		held[i] = conn
	}

	extra, err := net.Dial("tcp", srv.Addr) // the kernel accepts; the server must not serve it
	require.NoError(t, err)
	_, err = healthOn(extra, srv.Addr)
	require.Error(t, err, "a connection past the limit is closed without an answer")
	_ = extra.Close()

	require.NoError(t, held[0].Close())
	require.Eventually(t, func() bool { return healthOnNewConn(srv.Addr) }, stallBound, 20*time.Millisecond,
		"a slot comes free once a held connection ends")
}

// TestStalledClientsAreDropped: a client that stops half way through a request, or
// keeps an idle connection, loses the connection after the matching timeout. Every
// other limit is an hour, as net/http falls back on the read timeout for the others.
func TestStalledClientsAreDropped(t *testing.T) {
	t.Parallel()
	const short = 200 * time.Millisecond
	hour := httpLimits{header: time.Hour, read: time.Hour, write: time.Hour, idle: time.Hour}
	tests := []struct {
		name   string
		limits func(l *httpLimits)
		send   string
		want   string // the start of what the server answers before closing; "" nothing
	}{
		{name: "headers never finish", limits: func(l *httpLimits) { l.header = short },
			send: "POST " + MCPPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"},
		{name: "body never arrives", limits: func(l *httpLimits) { l.read = short },
			send: "POST " + MCPPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
			want: "HTTP/1.1 400 "},
		{name: "idle after a request", limits: func(l *httpLimits) { l.idle = short },
			send: "GET " + HealthPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", want: "HTTP/1.1 200 "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			limits := hour
			tc.limits(&limits)
			srv := startInProcessHTTP(t, HTTPConfig{limits: limits})
			conn, err := net.Dial("tcp", srv.Addr)
			require.NoError(t, err)
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(stallBound))
			_, err = io.WriteString(conn, tc.send)
			require.NoError(t, err)
			got, err := io.ReadAll(conn)
			require.NoError(t, err, "the server closes the connection")
			assert.True(t, strings.HasPrefix(string(got), tc.want), "got %q", got)
		})
	}
}

// TestClientThatStopsReadingIsDropped pipelines large responses to a client that never
// reads them. Once the socket buffers are full the server's write blocks; the write
// budget must end the connection. With one connection allowed, a new connection being
// served is the sign that the stalled one was dropped.
func TestClientThatStopsReadingIsDropped(t *testing.T) {
	t.Parallel()
	srv := startInProcessHTTP(t, HTTPConfig{limits: httpLimits{write: 200 * time.Millisecond, maxConns: 1}})

	var session string
	require.Eventually(t, func() bool {
		resp, err := exchange(srv.Addr, mcpMessage(t, srv.Addr, initializeBody, "", true))
		if err != nil {
			return false
		}
		session = resp.Header.Get("Mcp-Session-Id")
		return resp.StatusCode == http.StatusOK && session != ""
	}, stallBound, 20*time.Millisecond, "initialize")

	list := mcpMessage(t, srv.Addr, `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, session, false)
	var stalled net.Conn
	require.Eventually(t, func() bool {
		conn, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			return false
		}
		_ = conn.SetDeadline(time.Now().Add(stallBound))
		if _, err := conn.Write(list); err != nil {
			_ = conn.Close()
			return false
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			_ = conn.Close()
			return false
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		stalled = conn // the one slot is this connection's now
		return true
	}, stallBound, 20*time.Millisecond, "a connection holding the only slot")
	t.Cleanup(func() { _ = stalled.Close() })
	if tcp, ok := stalled.(*net.TCPConn); ok {
		_ = tcp.SetReadBuffer(4 << 10) // fill up sooner
	}
	_ = stalled.SetDeadline(time.Time{})
	go func() {
		// Far more than the socket buffers hold (each tools/list answer is tens of KB);
		// the writes fail once the server drops the connection, or the test closes it.
		for range 400 {
			if _, err := stalled.Write(list); err != nil {
				return
			}
		}
	}()
	require.Eventually(t, func() bool { return healthOnNewConn(srv.Addr) }, stallBound, 50*time.Millisecond,
		"the client that stopped reading lost its connection")
}

// mcpMessage is one POST of an MCP message as bytes on the wire.
func mcpMessage(t *testing.T, addr, body, session string, closeAfter bool) []byte {
	t.Helper()
	req := mcpRequest(t, t.Context(), http.MethodPost, "http://"+addr+MCPPath, session, body)
	req.Close = closeAfter
	var b bytes.Buffer
	require.NoError(t, req.Write(&b))
	return b.Bytes()
}

// exchange sends raw on a new connection and reads the answer, body included.
func exchange(addr string, raw []byte) (*http.Response, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return exchangeOn(conn, raw)
}

// exchangeOn sends raw on conn and reads the answer, body included.
func exchangeOn(conn net.Conn, raw []byte) (*http.Response, error) {
	_ = conn.SetDeadline(time.Now().Add(stallBound))
	if _, err := conn.Write(raw); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp, errors.Join(err, resp.Body.Close())
}
