package tools

// A write call's steps, in order: what was read, planned, sent, skipped or failed. The run owns
// them; tool files add and settle steps only through these methods, never through r.out.Steps.

// step adds a step that is not a write (a read, a count, the confirmation) in the given status, and
// returns its index for the methods below.
func (r *writeRun) step(name, request, status, detail string) int {
	r.out.Steps = append(r.out.Steps, writeStep{Step: name, Request: request, Status: status, Detail: detail})
	return len(r.out.Steps) - 1
}

// plan adds a write step that has not been sent yet. A write step that is done marks the call as
// written; one still planned when the call fails is the one that failed (fail).
func (r *writeRun) plan(name, request string) int {
	i := r.step(name, request, stepPlanned, "")
	r.out.Steps[i].write = true
	return i
}

// planDryRun adds a write step that a dry run shows and does not send.
func (r *writeRun) planDryRun(name, request string) {
	i := r.plan(name, request)
	r.detail(i, "not sent: dry run")
}

// skip adds a step that was not needed, and why.
func (r *writeRun) skip(name, detail string) {
	r.step(name, "", stepSkipped, detail)
}

// done marks step i done, with what came of it.
func (r *writeRun) done(i int, detail string) {
	r.out.Steps[i].Status, r.out.Steps[i].Detail = stepDone, detail
	if r.out.Steps[i].write {
		r.out.Written = true
	}
}

// failStep marks step i failed; detail, when not empty, says what that leaves unknown.
func (r *writeRun) failStep(i int, detail string) {
	r.out.Steps[i].Status = stepFailed
	if detail != "" {
		r.out.Steps[i].Detail = detail
	}
}

// detail sets what came of step i, leaving its status as it is.
func (r *writeRun) detail(i int, detail string) {
	r.out.Steps[i].Detail = detail
}

// abandonPlanned marks every step still planned as not attempted: the call stops before them.
func (r *writeRun) abandonPlanned() {
	for i := range r.out.Steps {
		if r.out.Steps[i].Status == stepPlanned {
			r.out.Steps[i].Status = stepNotAttempted
		}
	}
}
