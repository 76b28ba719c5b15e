package tools

// A write call's steps, in order: what was read, planned, sent, skipped or failed. The run owns
// them; tool files add and settle steps only through these methods.

// step adds a step that is not a write.
func (r *writeRun) step(name, request, status, detail string) int {
	r.out.Steps = append(r.out.Steps, writeStep{Step: name, Request: request, Status: status, Detail: detail})
	return len(r.out.Steps) - 1
}

// plan adds a write step that has not been sent yet.
func (r *writeRun) plan(name, request string) int {
	i := r.step(name, request, stepPlanned, "")
	r.out.Steps[i].write = true
	return i
}

func (r *writeRun) done(i int, detail string) {
	r.out.Steps[i].Status, r.out.Steps[i].Detail = stepDone, detail
	if r.out.Steps[i].write {
		r.out.Written = true
	}
}

func (r *writeRun) skip(i int, detail string) {
	r.out.Steps[i].Status, r.out.Steps[i].Detail = stepSkipped, detail
}
