package autotask

import (
	"fmt"
	"strings"
	"time"
)

// kindError is a sentinel that may refine a broader one, so that callers asking
// errors.Is(err, ErrValidation) also see unknown names as the caller's mistake.
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }

// The kinds of failure callers branch on. Every error of this package wraps exactly
// one of them (or a context error).
var (
	ErrAuth           error = &kindError{msg: "authentication failed"}
	ErrNotFound       error = &kindError{msg: "not found"}
	ErrValidation     error = &kindError{msg: "request rejected"}
	ErrRateLimited    error = &kindError{msg: "rate limited"}
	ErrTransient      error = &kindError{msg: "transient failure"}
	ErrOutcomeUnknown error = &kindError{msg: "outcome unknown"}
	ErrUnknownEntity  error = &kindError{msg: "unknown entity", parent: ErrValidation}
	ErrUnknownField   error = &kindError{msg: "unknown field", parent: ErrValidation}
	ErrNotSupported   error = &kindError{msg: "operation not supported"}
)

// APIError describes one failed request: what was asked, what the API said, and
// which kind of failure it is.
type APIError struct {
	Method, Path string // path relative to V1.0, without a query string
	StatusCode   int    // 0 when no response arrived
	Messages     []string
	RetryAfter   time.Duration
	Kind         error
	Err          error
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Method, e.Path)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
	}
	if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(e.Kind.Error())
	}
	if len(e.Messages) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	}
	if e.Kind == ErrOutcomeUnknown {
		b.WriteString(": the request was sent but its result is unknown, so it may or may not have been applied; check before retrying")
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes both the kind and the underlying transport error.
func (e *APIError) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}
