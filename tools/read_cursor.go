package tools

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// A query cursor carries everything needed to continue a query: the entity, the query as sent
// (the API requires the next page to be asked with the same body) and the API's nextPageUrl. It is
// stateless, so a cursor issued by one replica works on any other. The URL is stored relative to
// the client's base URL: shorter, and a cursor cannot point the server at another host.
type cursorState struct {
	Entity string            `json:"e"`
	Filter []autotask.Filter `json:"f"`
	Fields []string          `json:"i,omitempty"`
	Max    int               `json:"m"`
	Next   string            `json:"n"`
}

// maxCursorBytes bounds a cursor; ours stay far below it.
const maxCursorBytes = 16 << 10

func encodeCursor(c cursorState) (string, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

var errBadCursor = badArgs("cursor is not one this server issued; pass next_cursor exactly as returned, or start the query again without cursor")

func decodeCursor(s string) (cursorState, error) {
	var c cursorState
	if len(s) > maxCursorBytes {
		return c, errBadCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return c, errBadCursor
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // filter values are ids; keep them exact
	if err := dec.Decode(&c); err != nil {
		return c, errBadCursor
	}
	if c.Entity == "" || c.Next == "" || c.Max < 1 || c.Max > maxLimit || len(c.Filter) == 0 {
		return c, errBadCursor
	}
	if err := autotask.ValidateFilters(c.Filter); err != nil {
		return c, errBadCursor
	}
	return c, nil
}

// relativeNext strips the client's base URL from a nextPageUrl.
func relativeNext(base, next string) string {
	if base != "" && strings.HasPrefix(strings.ToLower(next), strings.ToLower(base)) {
		return next[len(base):]
	}
	return next
}

// absoluteNext rebuilds the nextPageUrl; a cursor holding an absolute URL keeps it and the client
// refuses it unless it is on the client's own host.
func absoluteNext(base, next string) string {
	lower := strings.ToLower(next)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || base == "" {
		return next
	}
	return base + strings.TrimPrefix(next, "/")
}
