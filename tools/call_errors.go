package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// toolError turns any failure of a tool into an isError result that tells the assistant what went
// wrong and what to do next. The client's errors never carry credentials; the texts built here
// quote only the API's own messages, names and ids.
func toolError(logger *slog.Logger, tool string, err error) *mcp.CallToolResult {
	msg := describeError(err)
	level := slog.LevelWarn
	var ae *argError
	if errors.As(err, &ae) || errors.Is(err, autotask.ErrNotFound) || errors.Is(err, autotask.ErrValidation) {
		level = slog.LevelDebug // the assistant's mistake, not the server's
	}
	logger.Log(context.Background(), level, "tool call failed", "tool", tool, "err", err)
	return mcp.NewToolResultError(msg)
}

func describeError(err error) string {
	var ae *argError
	var api *autotask.APIError
	errors.As(err, &api)
	var conflict *guard.ConflictError

	switch {
	case errors.As(err, &ae):
		return ae.msg
	case errors.Is(err, context.DeadlineExceeded):
		return "the request to Autotask took too long and was abandoned; nothing was changed by this read. Retry, or narrow the query (a filter, fewer fields, a smaller limit)."
	case errors.Is(err, context.Canceled):
		return "the call was cancelled before Autotask answered."
	case errors.Is(err, autotask.ErrUnknownEntity), errors.Is(err, autotask.ErrUnknownField):
		return err.Error() + "."
	case errors.Is(err, autotask.ErrNotSupported):
		return fmt.Sprintf("Autotask does not offer this operation: %v. describe_fields with no arguments shows what each entity allows.", err)
	case errors.Is(err, autotask.ErrOutcomeUnknown):
		return "Autotask received the request but no answer came back, so it MAY HAVE BEEN APPLIED. Do not resend it: read the record again (get_ticket / get_entity) and check before deciding."
	case errors.Is(err, autotask.ErrNotFound):
		return "not found in Autotask: " + apiDetail(api, err) + ". Check the id or number, or find the record with query_entity."
	case errors.Is(err, autotask.ErrAuth):
		return "Autotask refused the server's credentials (username, secret or integration code). Retrying will not help: the server's operator must fix its configuration."
	case errors.Is(err, autotask.ErrRateLimited) && strings.Contains(strings.ToLower(apiDetail(api, err)), "thread"):
		return "Autotask refused the request: too many requests at once for this API user (it allows 3 in flight per entity, shared with every other integration using the same integration code), even after retries. Nothing was changed by it. Retry in a few seconds."
	case errors.Is(err, autotask.ErrRateLimited):
		wait := ""
		if api != nil && api.RetryAfter > 0 {
			wait = fmt.Sprintf(" in about %s", api.RetryAfter.Round(time.Second))
		}
		return "Autotask's request limit is reached (it allows 10,000 requests an hour per tenant, shared by every integration). Retry" + wait + ", and prefer fewer, narrower calls (count_only, fields, filters)."
	case errors.Is(err, autotask.ErrTransient):
		return "Autotask did not answer properly even after retries (" + apiDetail(api, err) + "); nothing was changed by this read. Try again shortly."
	case errors.Is(err, autotask.ErrValidation):
		return "Autotask refused the request: " + apiDetail(api, err) + ". Fix the arguments and call again."
	case errors.Is(err, guard.ErrReadOnly):
		return "this server is read-only; writes are switched off by its operator."
	case errors.Is(err, guard.ErrNotAllowed):
		return "this server's policy does not allow this write (" + err.Error() + ")."
	case errors.Is(err, guard.ErrNotRead):
		return "read the record first (get_ticket or get_entity) in this session, check it is the one you mean, then repeat the write."
	case errors.Is(err, guard.ErrReadAgain):
		return "this session's own last write to the record could not be read back, so a change someone else made after it could not be told apart: read the record again (get_ticket or get_entity), check it, then repeat the write."
	case errors.As(err, &conflict):
		return describeConflict(conflict)
	case errors.Is(err, guard.ErrTokenExpired):
		return "the confirmation token has expired. Call again without confirm to get a fresh preview and token."
	case errors.Is(err, guard.ErrTokenUsed):
		return "this confirmation token was already used; the change it confirmed has been attempted. Read the record to see its state."
	case errors.Is(err, guard.ErrTokenStale):
		return "the record changed since the confirmation token was issued. Read it again, then ask for a new confirmation."
	case errors.Is(err, guard.ErrTokenInvalid):
		return "the confirmation token does not match this session, record or change. Call again without confirm to get a valid one."
	}
	return "the call failed: " + err.Error()
}

// apiDetail is the API's own explanation when it gave one, else the error itself.
func apiDetail(api *autotask.APIError, err error) string {
	if api != nil && len(api.Messages) > 0 {
		return strings.Join(api.Messages, "; ")
	}
	return err.Error()
}

func describeConflict(c *guard.ConflictError) string {
	return "the record changed since this session read it, so the write was refused (nothing was changed)." +
		conflictChanges(c) + " Read it again, check the change still makes sense, then repeat."
}

// conflictChanges lists what changed, " Changed: title ("a" -> "b")."; "" when the guard names
// nothing (a moved version alone).
func conflictChanges(c *guard.ConflictError) string {
	if len(c.Changed) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" Changed: ")
	for i, ch := range c.Changed {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%s -> %s)", ch.Field, describeValue(ch.Before), describeValue(ch.After))
	}
	b.WriteString(".")
	return b.String()
}
