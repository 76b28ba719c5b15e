package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"sync/atomic"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// User is one person of the team an HTTP server serves: who they are, how they prove it, whom the
// tenant sees acting, and what they may write.
type User struct {
	Name string
	// TokenSHA256 is the SHA-256 of the user's bearer token; the token itself is never kept.
	TokenSHA256 [sha256.Size]byte
	// ResourceID is the Autotask resource the user's calls are made as (ImpersonationResourceId),
	// so their notes and time entries show them; 0 keeps the server's configured resource.
	ResourceID int64
	ReadOnly   bool
	// AllowWrites narrows the writes the server allows to these tool and entity names
	// (guard.ParseAllowList); empty: every write the server allows.
	AllowWrites []string
}

// Users is the team a server serves. The list is replaced whole (Replace, on a reload of the users
// file), so a request sees either the old list or the new one, and a user removed from it is refused
// from the next request on. Safe for concurrent use.
type Users struct {
	list atomic.Pointer[[]teamUser]
}

// teamUser is a User with the guard's view of them, built once per list rather than per request.
type teamUser struct {
	User
	guard guard.User
}

// NewUsers is a team of list.
func NewUsers(list []User) *Users {
	u := &Users{}
	u.Replace(list)
	return u
}

// Replace makes list the team, from the next request on.
func (u *Users) Replace(list []User) {
	team := make([]teamUser, len(list))
	for i, user := range list {
		user.AllowWrites = append([]string(nil), user.AllowWrites...)
		team[i] = teamUser{User: user, guard: guard.NewUser(user.Name, user.ReadOnly, user.AllowWrites)}
	}
	u.list.Store(&team)
}

// Len is the number of users.
func (u *Users) Len() int { return len(*u.list.Load()) }

// authenticate finds the user whose token this is. The token's hash is compared with every user's
// in constant time, and the loop never ends early, so neither the time taken nor anything else
// tells whether, or where in the list, a token matched.
func (u *Users) authenticate(token string) (teamUser, bool) {
	team := *u.list.Load()
	sum := sha256.Sum256([]byte(token))
	found, at := 0, 0
	for i := range team {
		eq := subtle.ConstantTimeCompare(sum[:], team[i].TokenSHA256[:])
		at = subtle.ConstantTimeSelect(eq, i, at)
		found |= eq
	}
	if found == 0 {
		return teamUser{}, false
	}
	return team[at], true
}

// withUser is ctx for a call made for u: the guard keeps to u's reads, tokens and limits, and the
// tenant sees u's resource acting.
func withUser(ctx context.Context, u teamUser) context.Context {
	return autotask.WithImpersonation(guard.WithUser(ctx, u.guard), u.ResourceID)
}

// userName is the name of the user a request is made for; "" on a server without users.
func userName(ctx context.Context) string {
	u, _ := guard.UserFrom(ctx)
	return u.Name
}
