package tools

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// Every kind of failure maps to words that tell the assistant what happened and what to do.
func TestDescribeError(t *testing.T) {
	api := func(kind error, msgs ...string) error {
		return fmt.Errorf("get ticket 1: %w", &autotask.APIError{Method: "GET", Path: "Tickets/1", StatusCode: 500, Messages: msgs, Kind: kind, RetryAfter: 30 * time.Second})
	}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"argument", badArgs("limit must be between 1 and 500"), []string{"limit must be between 1 and 500"}},
		{"not found", api(autotask.ErrNotFound), []string{"not found", "query_entity"}},
		{"validation quotes the API", api(autotask.ErrValidation, "Value for field status is invalid"), []string{"Autotask refused the request: Value for field status is invalid", "Fix the arguments"}},
		{"rate limited says when", api(autotask.ErrRateLimited), []string{"request limit", "in about 30s"}},
		{"auth is the operator's", api(autotask.ErrAuth), []string{"credentials", "operator"}},
		{"transient", api(autotask.ErrTransient), []string{"Try again shortly"}},
		{"outcome unknown", api(autotask.ErrOutcomeUnknown), []string{"MAY HAVE BEEN APPLIED", "Do not resend"}},
		{"not supported", fmt.Errorf("x: %w", autotask.ErrNotSupported), []string{"does not offer"}},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), []string{"took too long"}},
		{"read only", guard.ErrReadOnly, []string{"read-only"}},
		{"not read", guard.ErrNotRead, []string{"read the record first"}},
		{"own write not read back", fmt.Errorf("x: %w", guard.ErrReadAgain), []string{"could not be read back", "read the record again"}},
		{"conflict lists changes, quoted", &guard.ConflictError{Changed: []guard.FieldChange{{Field: "title", Before: "Old", After: "New <b>bold</b>\u202e"}}}, []string{"changed since", `title ("Old" -> "New bold")`}},
		{"token expired", guard.ErrTokenExpired, []string{"expired"}},
		{"token stale", guard.ErrTokenStale, []string{"changed since the confirmation"}},
		{"token used", guard.ErrTokenUsed, []string{"already used"}},
		{"token invalid", guard.ErrTokenInvalid, []string{"does not match"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describeError(tt.err)
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
		})
	}
}
