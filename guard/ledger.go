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
	Writes    []string
	Changes   map[string]any
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
	if err := g.store.SaveRead(ctx, recordKey(session, entity, id), state); err != nil {
		return fmt.Errorf("record read of %s %d: %w", entity, id, err)
	}
	return nil
}

// RecordWrite remembers the record as it should be after this session's own successful write (the
// body that was sent), so the session's next write is not refused because of its own change. When the
// session had not read the record (it created it), what it wrote counts as read.
func (g *Guard) RecordWrite(ctx context.Context, session, entity string, id int64, expected map[string]any) error {
	if err := validKey(session, entity, expected); err != nil {
		return fmt.Errorf("record write of %s %d: %w", entity, id, err)
	}
	key := recordKey(session, entity, id)
	prev, ok, err := g.store.LoadRead(ctx, key)
	if err != nil {
		return fmt.Errorf("record write of %s %d: %w", entity, id, err)
	}
	flat := flatten(expected)
	state := ReadState{Version: prev.Version, Fields: prev.Fields, Expected: flat, At: g.now()}
	if !ok {
		state.Version, state.Fields = versionOf(expected, flat), flat
	}
	if err := g.store.SaveRead(ctx, key, state); err != nil {
		return fmt.Errorf("record write of %s %d: %w", entity, id, err)
	}
	return nil
}

// Check decides whether w may go ahead, given fresh, the record from the GET the write makes just
// before it. In order: policy (ErrReadOnly, ErrNotAllowed), read before write (ErrNotRead), no lost
// update (*ConflictError). Confirmation is separate (NeedsConfirmation, IssueToken, RedeemToken)
// because how to ask depends on the client. The record is unchanged when:
//   - its lastActivityDate equals the one read, and no field the session read has another value; or,
//     for a record without lastActivityDate, no field other than VolatileFields has another value
//     (an equal hash is the quick case of this);
//   - or, after the session's own write (RecordWrite), every field it wrote, VolatileFields aside, has
//     the expected value; the fresh record then becomes what the session knows.
//
// A lastActivityDate that moved with no field changed (someone added a note) is still a conflict: what
// the assistant decided may depend on what was added.
func (g *Guard) Check(ctx context.Context, w Write, fresh map[string]any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := g.policy(w); err != nil {
		return err
	}
	if fresh == nil {
		return fmt.Errorf("check %s %d: no fresh record", w.Entity, w.ID)
	}
	if err := sameID(fresh, w.ID); err != nil {
		return fmt.Errorf("check %s %d: %w", w.Entity, w.ID, err)
	}
	key := recordKey(w.Session, w.Entity, w.ID)
	st, ok, err := g.store.LoadRead(ctx, key)
	if err != nil {
		return fmt.Errorf("check %s %d: %w", w.Entity, w.ID, err)
	}
	if !ok {
		return fmt.Errorf("%s on %s %d refused: %w", w.Tool, w.Entity, w.ID, ErrNotRead)
	}
	freshFields := flatten(fresh)
	freshVersion := versionOf(fresh, freshFields)

	if st.Expected != nil && len(changedFields(st.Expected, freshFields, compareMode{})) == 0 {
		next := ReadState{Version: freshVersion, Fields: freshFields, At: g.now()}
		if err := g.store.SaveRead(ctx, key, next); err != nil {
			return fmt.Errorf("check %s %d: %w", w.Entity, w.ID, err)
		}
		return nil
	}
	if unchangedSinceRead(st, freshVersion, freshFields) {
		return nil
	}
	base := st.Fields
	if st.Expected != nil {
		base = st.Expected
	}
	return &ConflictError{Entity: w.Entity, ID: w.ID, Changed: describeChanges(base, freshFields)}
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
	want := canonicalJSON(id)
	if got := canonicalJSON(v); string(got) != string(want) {
		return fmt.Errorf("record has id %s, not %d", got, id)
	}
	return nil
}
