package sandbox

import (
	"sync"
	"time"
)

// Credentials are the three values every API request must carry in its
// ApiIntegrationCode, UserName and Secret headers.
type Credentials struct {
	Username, Secret, IntegrationCode string
}

// DefaultCredentials are what a sandbox accepts when Options.Credentials is zero; the
// sandbox subcommand prints them so a user can point any client at it.
var DefaultCredentials = Credentials{
	Username:        "sandbox@autotask-mcp.local",
	Secret:          "sandbox-secret",
	IntegrationCode: "SANDBOX",
}

// Defaults of Options, exported so the binary can print what it serves.
const (
	DefaultSeed        = 1
	DefaultTickets     = 500
	DefaultCompanies   = 50
	DefaultHourlyLimit = 10000
	DefaultThreadLimit = 3
)

// Options shape the simulated tenant. The zero value is a usable tenant.
type Options struct {
	Seed        int64       // default 1; same seed -> same tenant (ticket numbers included), on any day
	Tickets     int         // default 500 (size knob: 20000+ for paging tests)
	Companies   int         // default 50
	Credentials Credentials // zero -> DefaultCredentials
	HourlyLimit int         // default 10000
	ThreadLimit int         // default 3 in flight per integration code + endpoint family

	// SlowdownAt50 and SlowdownAt75 add latency to every request once the hour's usage
	// passes 50% / 75% of HourlyLimit; 0 = none.
	SlowdownAt50, SlowdownAt75 time.Duration

	// Latency holds every request past authentication (zone lookups included) this long
	// before serving it, inside its thread slot, as a real zone's round trip does; Jitter
	// (at most Latency) spreads it uniformly over Latency±Jitter, drawn from Seed. 0 = none.
	Latency, Jitter time.Duration
	// RandomFaults break that share of requests at random, drawn from Seed (see
	// Faults.RandomMix); Faults() changes them later.
	RandomFaults []RandomFault
	// RequestLog, when set, is called once per request as it ends, with no credentials in
	// what it gets (see LoggedRequest).
	RequestLog func(LoggedRequest)

	Now func() time.Time // default time.Now

	// PutOnly names entities this tenant updates only by PUT: a PATCH on them, at their own URL
	// or through a parent's route, answers 405 as the API does for a method an entity lacks. The
	// vendor's spec has no such entity today (every entity with PUT also has PATCH); the option
	// lets a client's PUT-only path, a whole fresh record sent back, be tested against a tenant.
	PutOnly []string
}

func (o Options) withDefaults() Options {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Tickets <= 0 {
		o.Tickets = DefaultTickets
	}
	if o.Companies <= 0 {
		o.Companies = DefaultCompanies
	}
	if o.Credentials == (Credentials{}) {
		o.Credentials = DefaultCredentials
	}
	if o.HourlyLimit <= 0 {
		o.HourlyLimit = DefaultHourlyLimit
	}
	if o.ThreadLimit <= 0 {
		o.ThreadLimit = DefaultThreadLimit
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Sandbox is an in-memory Autotask tenant served over ATServicesRest V1.0. It is safe for
// concurrent use.
type Sandbox struct {
	opts   Options
	faults *Faults
	limits *limiter
	stats  *statsRecorder
	clock  *clock
	// latency is what every request waits before it is served.
	latency *latency

	storesMu sync.Mutex
	stores   map[string]*store // entity name -> records, created on first use

	ticketSeqMu sync.Mutex
	ticketSeq   map[string]int // TicketNumber sequence per day

	apiResourceID   int64   // the resource the API user is; creator of what it writes
	otherResourceID int64   // the colleague Modify acts as
	hostileTickets  []int64 // tickets seeded with untrusted text payloads
}

// New builds and seeds a tenant. Seeding is synchronous and cheap: 500 tickets take a
// few milliseconds (see BenchmarkNew).
func New(opts Options) *Sandbox {
	opts = opts.withDefaults()
	s := &Sandbox{
		opts:      opts,
		faults:    &Faults{},
		limits:    newLimiter(opts.HourlyLimit, opts.ThreadLimit),
		stats:     newStatsRecorder(),
		clock:     &clock{now: opts.Now},
		latency:   newLatency(opts.Latency, opts.Jitter, opts.Seed),
		stores:    map[string]*store{},
		ticketSeq: map[string]int{},
	}
	s.faults.RandomMix(opts.Seed, opts.RandomFaults)
	s.seed()
	return s
}

// firstIDs gives seeded entities realistic, distinct id ranges, so a client that mixes up
// a ticket id with a company id finds nothing instead of the wrong record.
var firstIDs = map[string]int64{
	"Companies": 174, "Contacts": 30682001, "Resources": 29682885, "Tickets": 10001,
	"TicketNotes": 28000001, "TimeEntries": 40001, "ConfigurationItems": 500001,
	"Projects": 800, "Tasks": 9001, "Contracts": 29684001,
	"Departments": 29683451, "Roles": 29683461, "BillingCodes": 29683481,
	"ResourceServiceDeskRoles": 6001, "ResourceRoleDepartments": 7001,
}

// storeFor returns the records of an entity, creating the empty store on first use.
func (s *Sandbox) storeFor(e *entityRoute) *store {
	s.storesMu.Lock()
	defer s.storesMu.Unlock()
	st, ok := s.stores[e.name]
	if !ok {
		first := firstIDs[e.name]
		if first == 0 {
			first = 1
		}
		st = newStore(metaFor(e), first)
		s.stores[e.name] = st
	}
	return st
}

// storeNamed is storeFor by entity name, any case.
func (s *Sandbox) storeNamed(name string) (*store, bool) {
	e, ok := theCatalog().entity(name)
	if !ok {
		return nil, false
	}
	return s.storeFor(e), true
}

// clock hands out write timestamps that strictly increase, so lastActivityDate moves on
// every change even when two writes land in the same millisecond or Now is frozen.
type clock struct {
	mu   sync.Mutex
	now  func() time.Time
	last time.Time
}

func (c *clock) stamp() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now().UTC().Truncate(time.Millisecond)
	if !t.After(c.last) {
		t = c.last.Add(time.Millisecond)
	}
	c.last = t
	return t
}

// HostileTicketIDs lists the seeded tickets whose title, description or notes carry
// untrusted-text payloads (zero-width and bidi-override characters, HTML and script tags,
// encoded entities, a prompt injection), for security tests.
func (s *Sandbox) HostileTicketIDs() []int64 {
	return append([]int64(nil), s.hostileTickets...)
}

// APIResourceID is the resource the API user is: the creator of what it writes without
// ImpersonationResourceId.
func (s *Sandbox) APIResourceID() int64 { return s.apiResourceID }
