// Package guard is the write policy of autotask-mcp: the only road from a write tool to the Autotask
// client. The assistant acts on an MSP's live customer data, so a write goes ahead only when the
// assistant knows what it is changing, nobody changed it in between, and a person agreed to the
// changes that cannot be quietly undone.
//
// # The flow of one write
//
//	read tool ──RecordRead──> ledger (Store)
//	write tool: fresh GET ──Check──> policy → read before write → version
//	            NeedsConfirmation? ──> elicitation, or IssueToken now and RedeemToken on the second call
//	            PUT/POST ──RecordWrite──> ledger;  Audit, allowed or refused
//
// # Read before write (ErrNotRead)
//
// A session may only write a record it has read, through get_ticket, get_entity or a resource, or
// through a write refused for want of that read: the refusal shows the record as the write's own fresh
// GET found it, and the tools layer records that as the read (RecordRead), so only the next call may
// write. The assistant then acts on what it saw, not on a guessed id; "always GET before PUT" (the
// ticket contract, package autotask) is the client's rule for the request, this is the same rule for
// the decision.
//
// # No lost updates (ErrConflict)
//
// The write's own fresh GET is compared with what the session read. The version is lastActivityDate
// (Autotask moves it on every change to a ticket, including notes and time entries); a record without
// one is compared by a hash of its canonical JSON. A moved lastActivityDate is a conflict even when no
// field changed: someone added a note, and the assistant's decision may depend on it. The refusal lists
// the changed fields with before and after values, truncated, so the assistant can re-read and redo.
//
// After the session's own write, the tool reads the record back and RecordWrite stores that exact
// version (the API's answer to a write carries only the id, and the write moved lastActivityDate): the
// session's next write goes through when nothing moved since, and is refused after anyone else's
// change, a note included. Without a read-back that matches what was written, the next write is
// refused until the session reads again (ErrReadAgain). Comparing values canonically (json.Number and
// float64 alike, one datetime spelling, UDFs by name) keeps the check from refusing a write because of
// how a record was decoded.
//
// # Confirmation
//
// Status changes always need a person's yes (status is never changed implicitly, and status 5
// stamps the resolution dates for good), and so does every other decision on DefaultSensitiveFields or
// Options.SensitiveFields (Decisions), and any Write marked Sensitive. Clients with elicitation ask
// the person directly; for the rest the first call returns a preview and a token, and only a second
// call with the token applies the change. README.md's policy table is the single list of what needs it.
// Tokens are HMAC-SHA256 signed with Options.Key and bound to session, tool, record, the exact changes
// and the record's version (CreateVersion for a record still to be created); they are single-use and
// expire (DefaultTokenTTL). A token is proof that this person saw this preview of this record, nothing
// more: a replay, an edited change, another session or a record that moved since the preview all fail.
//
// # Policy and audit
//
// ReadOnly refuses every write (the tools layer also leaves write tools out, but the guard does not
// rely on that). AllowWrites narrows writes to named tools and entities. Every attempt, allowed or
// refused, becomes one JSON line in the audit log; values are truncated and secret-like fields redacted.
//
// # Users
//
// On a server that serves a team, each call carries the user it is made for (WithUser). A user's
// reads, confirmation tokens and audit lines are theirs alone: the ledger files reads under user and
// session, tokens are bound to the user, and audit lines name them. A user may be read-only or have an
// allow list of their own; both narrow the server's policy and never widen it.
//
// # Replicas
//
// All state (the ledger and redeemed token ids) sits behind Store. MemoryStore is bounded (records per
// session, sessions, idle expiry) and prunes lazily, with no goroutine. Replicas behind a load balancer
// need session affinity on Mcp-Session-Id for the ledger, or a shared Store; with the same Key
// (AUTOTASK_MCP_GUARD_KEY) and a shared Store, a token issued by one replica is honoured, once, by any.
// Forgetting a read is always safe (the session reads again); forgetting a redeemed token early is not,
// so MemoryStore refuses (ErrStoreFull) rather than evict one.
package guard
