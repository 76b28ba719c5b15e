package guard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// User is the person a call is made for, on a server that serves a team: their name, and the
// writes they may make, which narrow the server's own policy (Options.ReadOnly, AllowWrites) and
// never widen it. A call made for a user keeps to that user's state: the records it read, the
// confirmation tokens it was given and the audit lines it leaves are that user's alone, so one
// technician can neither redeem another's token nor write on the strength of another's read.
type User struct {
	Name     string
	ReadOnly bool
	allow    map[string]bool // lower-cased tool and entity names; empty = every write the server allows
}

// NewUser is the user name, read-only or limited to allowWrites (ParseAllowList; empty: every
// write the server allows).
func NewUser(name string, readOnly bool, allowWrites []string) User {
	return User{Name: name, ReadOnly: readOnly, allow: lowerSet(allowWrites)}
}

// MayWrite says whether the user may make a write with the tool, on the entities it writes, as far
// as the user's own limits go (the server's policy is checked besides, see Guard.WriteAllowed).
func (u User) MayWrite(tool string, entities ...string) bool {
	return !u.ReadOnly && allowedBy(u.allow, tool, entities)
}

type userKey struct{}

// WithUser returns a context whose calls are made for u.
func WithUser(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom is the user a call is made for; false when the server serves no team (stdio, or HTTP
// with one shared token), where every call is the server's own.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey{}).(User)
	return u, ok
}

// userName is the name of the call's user, "" when there is none.
func userName(ctx context.Context) string {
	u, _ := UserFrom(ctx)
	return u.Name
}

// userPolicy refuses a write the call's user may not make; entities are those w writes.
func userPolicy(ctx context.Context, w Write, entities []string) error {
	u, ok := UserFrom(ctx)
	if !ok {
		return nil
	}
	switch {
	case u.ReadOnly:
		return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, &UserRefusal{User: u.Name, ReadOnly: true})
	case !allowedBy(u.allow, w.Tool, entities):
		return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, &UserRefusal{User: u.Name})
	}
	return nil
}

// UserRefusal is a write refused by the limits of the call's user rather than the server's.
// errors.Is(err, ErrReadOnly) holds for a read-only user, errors.Is(err, ErrNotAllowed) otherwise.
type UserRefusal struct {
	User     string
	ReadOnly bool
}

func (e *UserRefusal) Error() string {
	if e.ReadOnly {
		return fmt.Sprintf("the user %s may only read on this server: no write is allowed", strconv.Quote(e.User))
	}
	return fmt.Sprintf("this write is not among those the user %s may make (their allow list in the server's users file)", strconv.Quote(e.User))
}

func (e *UserRefusal) Is(target error) bool {
	if e.ReadOnly {
		return target == ErrReadOnly
	}
	return target == ErrNotAllowed
}

// ledgerSession is the key the ledger files a session's reads under: the session itself, or, for a
// call made for a user, the user and the session, so that no user's reads ever count for another's
// write, whatever session id the call carries. The name is quoted, so no two pairs share a key.
func ledgerSession(ctx context.Context, session string) string {
	u, ok := UserFrom(ctx)
	if !ok {
		return session
	}
	return "user " + strconv.Quote(u.Name) + " " + session
}

// allowedBy says whether an allow list (empty: everything) names the tool or one of its entities.
func allowedBy(allow map[string]bool, tool string, entities []string) bool {
	if len(allow) == 0 || allow[strings.ToLower(tool)] {
		return true
	}
	for _, e := range entities {
		if e != "" && allow[strings.ToLower(e)] {
			return true
		}
	}
	return false
}
