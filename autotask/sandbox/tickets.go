package sandbox

import (
	"fmt"
	"time"
)

// Ticket status ids with behaviour: only 5 "Complete" stamps the resolution timestamps;
// 8 "Completed" is an ordinary status (the ticket contract, package autotask).
const (
	statusNew      = 1
	statusComplete = 5
)

// ticketRules: a ticket set to status 5 gets completedDate and resolvedDateTime (and who
// completed it); moving away from 5 clears them; a new ticket gets its TicketNumber.
func (s *Sandbox) ticketRules(old, rec *record, now time.Time, wc writeContext) {
	if old == nil {
		if _, given := rec.f["ticketNumber"]; !given || !wc.direct {
			rec.f["ticketNumber"] = s.nextTicketNumber(now)
		}
	}
	was := old != nil && old.f["status"] == int64(statusComplete)
	is := rec.f["status"] == int64(statusComplete)
	switch {
	case is && !was:
		rec.f["completedDate"] = now
		rec.f["resolvedDateTime"] = now
		rec.f["completedByResourceID"] = wc.actor
	case was && !is:
		delete(rec.f, "completedDate")
		delete(rec.f, "resolvedDateTime")
		delete(rec.f, "completedByResourceID")
	}
}

// nextTicketNumber is T<yyyymmdd>.<4-digit sequence of the day>, e.g. T20261122.0042.
func (s *Sandbox) nextTicketNumber(day time.Time) string {
	key := day.UTC().Format("20060102")
	s.ticketSeqMu.Lock()
	defer s.ticketSeqMu.Unlock()
	s.ticketSeq[key]++
	return fmt.Sprintf("T%s.%04d", key, s.ticketSeq[key])
}

// touchRecord moves a ticket's or task's activity when something is added to it (a note, a
// time entry), as Autotask does.
func (s *Sandbox) touchRecord(entity string, id int64, now time.Time, wc writeContext) {
	st, _ := s.storeNamed(entity)
	for {
		old := st.get(id)
		if old == nil {
			return
		}
		rec := old.clone()
		s.touch(st.meta, old, rec, now, wc)
		st.mu.Lock()
		if st.recs[id] == old {
			st.recs[id] = rec
			st.mu.Unlock()
			return
		}
		st.mu.Unlock()
	}
}
