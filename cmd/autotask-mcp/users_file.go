package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// The users file (--users) lists the people one HTTP server serves:
//
//	{"users": [
//	  {"name": "priya", "token_sha256": "<64 hex digits>", "resource_id": 29682887},
//	  {"name": "omar",  "token_sha256": "<64 hex digits>", "resource_id": 29682888, "read_only": true},
//	  {"name": "lena",  "token_sha256": "<64 hex digits>", "resource_id": 29682889, "allow_writes": "add_ticket_note,log_time"}
//	]}
//
// It holds hashes, never tokens, and no error about it quotes one: an error names the user and
// the field, so a log line about a bad file gives nothing away.

// maxUsersFileBytes bounds the file: a team of thousands fits many times over.
const maxUsersFileBytes = 1 << 20

type usersFile struct {
	Users []usersFileEntry `json:"users"`
}

type usersFileEntry struct {
	Name        string `json:"name"`
	TokenSHA256 string `json:"token_sha256"`
	ResourceID  int64  `json:"resource_id"`
	ReadOnly    bool   `json:"read_only"`
	AllowWrites string `json:"allow_writes"`
}

// loadUsersFile reads and checks the users file; any mistake in it is an error, so that a typo
// never quietly grants or withholds access.
func loadUsersFile(path string) ([]server.User, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUsersFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	if len(data) > maxUsersFileBytes {
		return nil, fmt.Errorf("users file %s is larger than %d bytes", path, maxUsersFileBytes)
	}
	users, err := parseUsers(data)
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	return users, nil
}

func parseUsers(data []byte) ([]server.User, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var file usersFile
	if err := dec.Decode(&file); err != nil {
		return nil, describeJSONError(err)
	}
	if dec.More() {
		return nil, errors.New(`more than one JSON value: the file is one object, {"users": [...]}`)
	}
	if len(file.Users) == 0 {
		return nil, errors.New(`no users: the file is {"users": [{"name": ..., "token_sha256": ..., "resource_id": ...}, ...]}`)
	}
	users := make([]server.User, 0, len(file.Users))
	names := map[string]bool{}
	hashes := map[[sha256.Size]byte]string{}
	for i, e := range file.Users {
		u, err := e.user()
		if err != nil {
			return nil, fmt.Errorf("user %d (%s): %w", i+1, describeName(e.Name), err)
		}
		key := strings.ToLower(u.Name)
		if names[key] {
			return nil, fmt.Errorf("user %d: the name %q is used twice; names must be unique", i+1, u.Name)
		}
		names[key] = true
		if other, dup := hashes[u.TokenSHA256]; dup {
			return nil, fmt.Errorf("users %q and %q have the same token_sha256; every user needs a token of their own", other, u.Name)
		}
		hashes[u.TokenSHA256] = u.Name
		users = append(users, u)
	}
	return users, nil
}

func (e usersFileEntry) user() (server.User, error) {
	u := server.User{Name: strings.TrimSpace(e.Name), ResourceID: e.ResourceID, ReadOnly: e.ReadOnly}
	if u.Name == "" {
		return u, errors.New("name is missing")
	}
	hash, err := hex.DecodeString(strings.TrimSpace(e.TokenSHA256))
	if err != nil || len(hash) != sha256.Size {
		// The value is not quoted: it may be a token pasted where its hash belongs.
		return u, errors.New("token_sha256 must be the SHA-256 of the user's token, 64 hex digits (printf %s \"$TOKEN\" | sha256sum)")
	}
	copy(u.TokenSHA256[:], hash)
	if u.ResourceID <= 0 {
		return u, errors.New("resource_id must be the positive id of the Autotask resource the user acts as")
	}
	if strings.TrimSpace(e.AllowWrites) != "" {
		if u.ReadOnly {
			return u, errors.New("read_only and allow_writes exclude each other: a read-only user makes no writes")
		}
		if err := checkAllowList(e.AllowWrites); err != nil {
			return u, fmt.Errorf("allow_writes: %w", err)
		}
		u.AllowWrites = guard.ParseAllowList(e.AllowWrites)
	}
	return u, nil
}

func describeName(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "no name"
	}
	return fmt.Sprintf("%q", name)
}

// describeJSONError says where the file is malformed without quoting what it holds there: a
// value that does not decode may be a token.
func describeJSONError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("%s must be a JSON %s (at byte %d)", typ.Field, jsonKind(typ.Type.Kind()), typ.Offset)
	case errors.Is(err, io.EOF):
		return errors.New(`the file is empty: it is one object, {"users": [...]}`)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// A field's name is quoted only when it looks like one: letters and underscores.
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if strings.Trim(strings.ToLower(field), "abcdefghijklmnopqrstuvwxyz_") != "" {
			field = "(not shown)"
		}
		return fmt.Errorf("unknown field %s; the fields are name, token_sha256, resource_id, read_only, allow_writes", field)
	}
	return errors.New("not valid JSON")
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int64:
		return "whole number"
	case reflect.Slice:
		return "array"
	}
	return "object"
}
