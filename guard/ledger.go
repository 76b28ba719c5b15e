package guard

import (
	"context"
	"errors"
	"fmt"
)

// Write is one write a tool is about to make. Changes holds the fields it sets, with values already
// resolved to what will be sent (ids, not labels): confirmation tokens are bound to them.
type Write struct {
	Session, Tool, Entity string
	ID                    int64
	// Writes names the entities the write creates or changes besides Entity, the record it is
	// checked against (add_ticket_note: TicketNotes), for the allow list.
	Writes  []string
	Changes map[string]any
	// Create: the write creates Entity (ID is 0 until it exists). Defaults are the values the tenant
	// gives a record it creates (Entity on a create, a child such as a note) for a field left out, in
	// the shape of Changes. Both only narrow what needs confirmation (see Decisions).
	Create    bool
	Defaults  map[string]any
	Sensitive bool // the tool asks for confirmation whatever the fields
}

// RecordRead remembers that session read the record, as the API returned it. Every read tool and
// resource calls it; a later write by the session is checked against it. A new read replaces what
// the session knew, including the expectation of its own last write.
func (g *Guard) RecordRead(ctx context.Context, session, entity string, id int64, rec map[string]any) error {
	if err := validKey(session, entity, rec); err != nil {
		return fmt.Errorf("record read of %s %d: %w", entity, id, err)
	}
	if err := sameID(rec, id); err != nil {
		return fmt.Errorf("record read of %s %d: %w", entity, id, err)
	}
	flat := flatten(rec)
	state := ReadState{Version: versionOf(rec, flat), Fields: flat, At: g.now()}
	if err := g.store.SaveRead(ctx, recordKey(ctx, session, entity, id), state); err != nil {
		return fmt.Errorf("record read of %s %d: %w", entity, id, err)
	}
	return nil
}

// SeenValue is one field of the record as session last knew it (read it, or expects it after its
// own write), as canonical JSON ("5", "\"text\"", "null"); ok is false when the session has not
// read the record. A tool may guess from it what its fresh read will show, to send a request beside
// that read which only some values make worth sending: a write goes ahead only while the record is
// as the session knew it, so the guess is right whenever the write goes ahead. The fresh read, not
// this, decides.
func (g *Guard) SeenValue(ctx context.Context, session, entity string, id int64, field string) (value string, ok bool) {
	st, found, err := g.store.LoadRead(ctx, recordKey(ctx, session, entity, id))
	if err != nil || !found {
		return "", false
	}
	if v, ok := st.Fields[field]; ok {
		return v, true
	}
	return storedNull, true
}

// RecordWrite remembers what this session's own successful write made of the record, so that its next
// write is neither refused because of its own change nor let through after a change it did not make.
//
// The API answers a write with the record's id only, and every write moves lastActivityDate to a value
// nobody told us, so the version a write produced is known only by reading the record back. expected
// is the record as the write should have left it (the body a PUT sent; the record as read, for a write
// that only adds a child such as a note); after is the record read back right after the write.
//   - When every field of expected, VolatileFields aside, has its expected value in after, after is
//     what the session now knows, exactly as if it had read it: lastActivityDate included, so that
//     anyone else's later change, even a note that moves nothing else, is a conflict.
//   - When after is nil (the read-back failed) or differs (someone changed the record between the write
//     and the read-back, or the API changed more than asked), the session does not know the record's
//     version, and its next write is refused (ErrReadAgain, or a conflict listing the differences)
//     until it reads the record again.
//
// What no read-back can tell apart: a change by someone else in the moment between the write and the
// read-back that moves only lastActivityDate (a note) is taken for part of the session's own write.
func (g *Guard) RecordWrite(ctx context.Context, session, entity string, id int64, expected, after map[string]any) error {
	if err := validKey(session, entity, expected); err != nil {
		return fmt.Errorf("record write of %s %d: %w", entity, id, err)
	}
	if err := sameID(expected, id); err != nil {
		return fmt.Errorf("record write of %s %d: %w", entity, id, err)
	}
	flat := flatten(expected)
	state := ReadState{Version: versionOf(expected, flat), Fields: flat, Expected: flat, At: g.now()}
	if after != nil {
		if err := sameID(after, id); err != nil {
			return fmt.Errorf("record write of %s %d: read back: %w", entity, id, err)
		}
		if afterFlat := flatten(after); len(changedFields(flat, afterFlat, compareMode{})) == 0 {
			state = ReadState{Version: versionOf(after, afterFlat), Fields: afterFlat, At: state.At}
		}
	}
	if err := g.store.SaveRead(ctx, recordKey(ctx, session, entity, id), state); err != nil {
		return fmt.Errorf("record write of %s %d: %w", entity, id, err)
	}
	return nil
}

// Check decides whether w may go ahead, given fresh, the record from the GET the write makes just
// before it. In order: policy (ErrReadOnly, ErrNotAllowed), read before write (ErrNotRead), no lost
// update (*ConflictError, ErrReadAgain). Confirmation is separate (NeedsConfirmation, IssueToken,
// RedeemToken) because how to ask depends on the client. The record is unchanged when:
//   - its lastActivityDate equals the one the session knows (from its read, or from the read-back after
//     its own write, see RecordWrite), and no field the session knows has another value; or,
//   - for a record without lastActivityDate, no field other than VolatileFields has another value
//     (an equal hash is the quick case of this).
//
// A lastActivityDate that moved with no field changed (someone added a note) is still a conflict: what
// the assistant decided may depend on what was added. After an own write whose result the session
// does not know (RecordWrite without a matching read-back), every write is refused until it reads again.
func (g *Guard) Check(ctx context.Context, w Write, fresh map[string]any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := g.policy(ctx, w); err != nil {
		return err
	}
	if fresh == nil {
		return fmt.Errorf("check %s %d: no fresh record", w.Entity, w.ID)
	}
	if err := sameID(fresh, w.ID); err != nil {
		return fmt.Errorf("check %s %d: %w", w.Entity, w.ID, err)
	}
	key := recordKey(ctx, w.Session, w.Entity, w.ID)
	st, ok, err := g.store.LoadRead(ctx, key)
	if err != nil {
		return fmt.Errorf("check %s %d: %w", w.Entity, w.ID, err)
	}
	if !ok {
		return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, ErrNotRead)
	}
	freshFields := flatten(fresh)
	if st.Expected != nil {
		return unsettled(w, st.Expected, freshFields)
	}
	if unchangedSinceRead(st, versionOf(fresh, freshFields), freshFields) {
		return nil
	}
	return &ConflictError{Entity: w.Entity, ID: w.ID, Changed: describeChanges(st.Fields, freshFields)}
}

// unsettled refuses a write after this session's own write whose resulting version it does not know:
// a conflict when a field it wrote no longer has the value it wrote, else a request to read again.
func unsettled(w Write, expected, fresh map[string]string) error {
	if len(changedFields(expected, fresh, compareMode{})) > 0 {
		return &ConflictError{Entity: w.Entity, ID: w.ID, Changed: describeChanges(expected, fresh)}
	}
	return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, ErrReadAgain)
}

func unchangedSinceRead(st ReadState, freshVersion string, fresh map[string]string) bool {
	if !isHashVersion(st.Version) && !isHashVersion(freshVersion) {
		// Both carry lastActivityDate: it is the version. The field comparison is defence in depth
		// for an edit that did not move it, over the fields both have, so that a snapshot with a key
		// the API does not send cannot refuse every write.
		return st.Version == freshVersion && len(changedFields(st.Fields, fresh, compareMode{common: true})) == 0
	}
	if st.Version == freshVersion {
		return true
	}
	// No lastActivityDate: the fields are the version; one the API stopped sending became null.
	return len(changedFields(st.Fields, fresh, compareMode{})) == 0
}

func validKey(session, entity string, rec map[string]any) error {
	switch {
	case session == "":
		return errors.New("empty session")
	case entity == "":
		return errors.New("empty entity")
	case rec == nil:
		return errors.New("no record")
	}
	return nil
}

// sameID refuses a record whose own id contradicts the id it is filed under: a tool mixing up two
// records must not make one count as read for the other.
func sameID(rec map[string]any, id int64) error {
	v, ok := rec["id"]
	if !ok || v == nil {
		return nil
	}
	if got := canonicalText(v); got != canonicalText(id) {
		return fmt.Errorf("record has id %s, not %d", got, id)
	}
	return nil
}
