package guard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// A token is base64url (no padding, 60 characters) of 45 bytes:
//
//	format(1) | token id(12, random) | expiry(8, unix seconds) | version tag(8) | MAC(16)
//
// The MAC is HMAC-SHA256, truncated to 128 bits, over the first 29 bytes and the binding: a hash of
// the user the call is made for (UserFrom; none on a server without users), session, tool, entity, id
// and the canonical JSON of the changes. Nothing bound is carried in the
// token, so it reveals nothing, and any difference in them fails the MAC (ErrTokenInvalid). The record
// version is bound separately, by the version tag, so that a record that moved is told apart
// (ErrTokenStale) from a token that was never valid for this write.
const (
	tokenFormat   byte = 1
	tokenIDLen         = 12
	tokenTagLen        = 8
	tokenMACLen        = 16
	tokenSignedAt      = 1 + tokenIDLen + 8 + tokenTagLen
	tokenLen           = tokenSignedAt + tokenMACLen
)

var tokenEncoding = base64.RawURLEncoding

// CreateVersion is the version a create's token is issued and redeemed at: there is no record yet, and
// the binding to the session, the tool and the exact values to be created is what makes it specific.
const CreateVersion = "no record yet"

// IssueToken returns a confirmation token for w on the record at version (VersionOf the fresh record
// shown in the preview), and when it expires. A token confirms exactly this write, once.
func (g *Guard) IssueToken(ctx context.Context, w Write, version string) (string, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return "", time.Time{}, err
	}
	if err := g.policy(ctx, w); err != nil {
		return "", time.Time{}, err
	}
	if w.Session == "" || w.Entity == "" || version == "" {
		return "", time.Time{}, fmt.Errorf("issue token for %s %d: session, entity and version are required", w.Entity, w.ID)
	}
	expires := g.now().Add(g.ttl).Truncate(time.Second)
	raw := make([]byte, tokenLen)
	raw[0] = tokenFormat
	if _, err := rand.Read(raw[1 : 1+tokenIDLen]); err != nil {
		return "", time.Time{}, fmt.Errorf("issue token for %s %d: %w", w.Entity, w.ID, err)
	}
	binary.BigEndian.PutUint64(raw[1+tokenIDLen:], uint64(expires.Unix()))
	b := binding(ctx, w)
	copy(raw[1+tokenIDLen+8:], g.versionTag(b, version))
	copy(raw[tokenSignedAt:], g.mac(raw[:tokenSignedAt], b))
	return tokenEncoding.EncodeToString(raw), expires, nil
}

// RedeemToken accepts token as the person's confirmation of w on the record at version (VersionOf the
// record fetched for the write), and uses it up. Errors, checked in this order: ErrTokenInvalid (not a
// token, another key, or issued for another user, session, tool, record or change), ErrTokenExpired,
// ErrTokenUsed, ErrTokenStale (the record moved since the preview; the token stays unused).
func (g *Guard) RedeemToken(ctx context.Context, token string, w Write, version string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	refuse := func(err error) error {
		return fmt.Errorf("confirmation of %s on %s %d: %w", w.Tool, w.Entity, w.ID, err)
	}
	raw, err := tokenEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil || len(raw) != tokenLen || raw[0] != tokenFormat {
		return refuse(ErrTokenInvalid)
	}
	b := binding(ctx, w)
	if !hmac.Equal(raw[tokenSignedAt:], g.mac(raw[:tokenSignedAt], b)) {
		return refuse(ErrTokenInvalid)
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(raw[1+tokenIDLen:])), 0)
	if !g.now().Before(expires) {
		return refuse(ErrTokenExpired)
	}
	id := tokenEncoding.EncodeToString(raw[1 : 1+tokenIDLen])
	// Used before stale: a replay after the write it confirmed finds the record moved by that very
	// write, and "already used" is the true answer.
	used, err := g.store.Redeemed(ctx, id)
	if err != nil {
		return refuse(err)
	}
	if used {
		return refuse(ErrTokenUsed)
	}
	if !hmac.Equal(raw[1+tokenIDLen+8:tokenSignedAt], g.versionTag(b, version)) {
		return refuse(ErrTokenStale)
	}
	first, err := g.store.Redeem(ctx, id, expires)
	if err != nil {
		return refuse(err)
	}
	if !first {
		return refuse(ErrTokenUsed)
	}
	return nil
}

// binding hashes what a token is bound to: the call's user and the write. Entity is lower-cased like the ledger's keys; the changes
// are canonical, so key order and number spelling (json.Number, float64, int) do not matter.
func binding(ctx context.Context, w Write) []byte {
	changes := w.Changes
	if changes == nil {
		changes = map[string]any{}
	}
	doc := map[string]any{
		"user":    userName(ctx),
		"session": w.Session,
		"tool":    w.Tool,
		"entity":  strings.ToLower(w.Entity),
		"id":      w.ID,
		"changes": changes,
	}
	sum := sha256.Sum256(canonicalJSON(doc))
	return sum[:]
}

func (g *Guard) mac(signed, binding []byte) []byte {
	h := hmac.New(sha256.New, g.key)
	h.Write([]byte("autotask-mcp guard token v1\x00"))
	h.Write(signed)
	h.Write(binding)
	return h.Sum(nil)[:tokenMACLen]
}

func (g *Guard) versionTag(binding []byte, version string) []byte {
	h := hmac.New(sha256.New, g.key)
	h.Write([]byte("autotask-mcp guard version v1\x00"))
	h.Write(binding)
	h.Write([]byte(version))
	return h.Sum(nil)[:tokenTagLen]
}
