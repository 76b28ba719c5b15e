package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSandboxListensOnFirstRequest: the sandbox a server starts for itself opens no port until
// the client sends it a request, and one never asked anything closes at once.
func TestSandboxListensOnFirstRequest(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open := func() *tenant {
		tn, err := openTenant(serverConfig{Sandbox: true}, mapEnv(nil), slog.New(slog.DiscardHandler), nil)
		require.NoError(t, err)
		require.NotNil(t, tn.Sandbox)
		return tn
	}

	unused := open()
	assert.Nil(t, unused.Sandbox.ln, "no listener before a request")
	require.NoError(t, unused.Close(ctx))
	assert.Nil(t, unused.Sandbox.ln, "closing opens nothing")

	used := open()
	n, err := used.Client.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	assert.Positive(t, n)
	assert.NotNil(t, used.Sandbox.ln, "the first request opened the listener")
	require.NoError(t, used.Close(ctx))
	_, err = used.Client.Count(ctx, "Tickets", nil)
	assert.Error(t, err, "a closed sandbox answers nothing")
}
