package sandbox

// Word lists the seed draws from. They are fictional: well-known sample-company names and
// plausible small businesses an MSP serves.
var customerNames = []string{
	"Contoso", "Northwind Traders", "Fabrikam", "Adventure Works", "Tailspin Toys",
	"Wide World Importers", "Litware", "Proseware", "Woodgrove Bank", "Coho Winery",
	"Alpine Ski House", "Blue Yonder Airlines", "Fourth Coffee", "Humongous Insurance",
	"Lucerne Publishing", "Margie's Travel", "Trey Research", "Wingtip Toys",
	"City Power & Light", "Graphic Design Institute", "Southridge Video", "Relecloud",
	"Consolidated Messenger", "VanArsdel", "Bellows College", "Harbor Dental Group",
	"Maple Street Law", "Riverside Veterinary Clinic", "Summit Accounting LLP",
	"Brightline Logistics", "Oakridge Family Practice", "Cedar & Pine Architects",
	"Evergreen Property Management", "Lakeside Manufacturing", "Pinnacle Insurance Agency",
	"Redwood Realty", "Bluewater Marine Supply", "Granite Peak Engineering",
	"Sunrise Senior Living", "Metro Plumbing & Heating", "Silver Birch Financial",
	"Copperleaf Bakery", "Ironwood Construction", "Keystone Title Company",
	"Meadowbrook Elementary PTA", "Northgate Orthodontics", "Prairie Wind Farms",
	"Quarry Hill Brewing", "Starlight Events", "Tidewater Freight", "Union Square Dental",
	"Westfield Chiropractic", "Hollis & Grant Attorneys", "Beacon Hill Pediatrics",
	"Clearview Optometry", "Driftwood Hotels", "Elm Street Pharmacy", "Foxglove Florists",
}

var cities = []struct{ city, state, zip string }{
	{"Seattle", "WA", "98101"}, {"Portland", "OR", "97204"}, {"Denver", "CO", "80202"},
	{"Austin", "TX", "78701"}, {"Chicago", "IL", "60601"}, {"Boston", "MA", "02108"},
	{"Atlanta", "GA", "30303"}, {"Phoenix", "AZ", "85004"}, {"Minneapolis", "MN", "55401"},
	{"Raleigh", "NC", "27601"}, {"Columbus", "OH", "43215"}, {"Sacramento", "CA", "95814"},
}

var streets = []string{"Main St", "Oak Ave", "Pine St", "Maple Dr", "Cedar Ln", "Lake Rd", "Market St", "Park Blvd", "River Rd", "Hill St"}

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
	"Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
	"Sarah", "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty",
	"Mark", "Sandra", "Aisha", "Ashley", "Wei", "Kimberly", "Raj", "Emily", "Kenji", "Donna",
	"Oluwaseun", "Michelle", "Mateo", "Carol", "Yusuf", "Amanda", "Ingrid", "Melissa",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
	"Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
	"Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
	"Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
	"Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
}

var contactTitles = []string{"Office Manager", "Owner", "Operations Director", "Controller", "Receptionist", "Practice Manager", "IT Coordinator", "CFO", "Paralegal", "Sales Lead"}

// technicians are the MSP's staff; the first one is the colleague Modify acts as.
var technicians = []struct{ first, last, title string }{
	{"Alex", "Morgan", "Service Desk Manager"}, {"Priya", "Patel", "Senior Engineer"},
	{"Marcus", "Chen", "Network Engineer"}, {"Sofia", "Rodriguez", "Service Desk Technician"},
	{"James", "O'Brien", "Service Desk Technician"}, {"Emily", "Nakamura", "Systems Engineer"},
	{"David", "Okafor", "Security Analyst"}, {"Hannah", "Schmidt", "Project Manager"},
	{"Liam", "Walsh", "Field Technician"}, {"Olivia", "Brooks", "Service Desk Technician"},
	{"Noah", "Kim", "Cloud Engineer"}, {"Grace", "Adeyemi", "Account Manager"},
}

// ticketTemplate is a realistic MSP ticket: placeholders {user}, {server}, {site}, {domain},
// {printer} are filled per ticket.
type ticketTemplate struct {
	title, description  string
	issueType, subIssue int64
	alert               bool
}

var ticketTemplates = []ticketTemplate{
	{"Outlook keeps prompting for password", "{user} reports Outlook asks for credentials every few minutes since this morning. Webmail works fine.", 4, 401, false},
	{"Printer {printer} offline", "The {printer} on the second floor shows offline for everyone. Power cycled by staff, no change.", 1, 102, false},
	{"VPN disconnects every 30 minutes", "{user} working from home loses the VPN tunnel roughly every half hour and has to reconnect.", 3, 302, false},
	{"New user onboarding: {user}", "Please create accounts for {user} starting Monday: M365 licence, shared drives, laptop from stock.", 6, 602, false},
	{"Offboarding: {user}", "{user} leaves on Friday. Disable sign-in, convert mailbox to shared, collect laptop.", 6, 603, false},
	{"Backup job failed on {server}", "Nightly backup of {server} failed with 'VSS snapshot timed out'. Last good backup two days ago.", 1, 103, true},
	{"Disk space low on {server}", "Monitoring: C: on {server} below 10% free (4.2 GB).", 1, 103, true},
	{"Password reset for {user}", "{user} is locked out after too many attempts. Identity verified by phone.", 6, 601, false},
	{"MFA reset request", "{user} replaced their phone and can no longer approve sign-ins. Needs MFA re-registration.", 6, 604, false},
	{"Laptop running very slow", "{user}'s laptop takes 10 minutes to boot and Teams freezes. Possibly failing disk.", 1, 101, false},
	{"Shared drive S: not mapping", "Several users at {site} no longer see the S: drive after the weekend.", 3, 303, false},
	{"Teams calls drop audio", "Calls in Teams lose audio for the remote party after a few minutes at {site}.", 4, 403, false},
	{"Firewall firmware update", "Vendor released a security update for the site firewall at {site}; schedule a maintenance window.", 3, 304, false},
	{"SSL certificate expiring for {domain}", "Monitoring: the certificate for {domain} expires in 14 days.", 5, 503, true},
	{"Emails to {domain} bouncing", "Messages to {domain} come back with '550 5.7.1 rejected by policy'.", 4, 402, false},
	{"Suspicious sign-in for {user}", "Sign-in from an unfamiliar country flagged for {user}. Please investigate and reset if needed.", 5, 502, true},
	{"Phishing email reported", "{user} forwarded a suspicious 'invoice overdue' email with a link to a fake login page.", 4, 404, false},
	{"Malware detected on workstation", "Endpoint protection quarantined a trojan on {user}'s PC. Verify clean-up.", 5, 501, true},
	{"Wi-Fi dead zone in conference room", "Guests in the main conference room at {site} cannot keep a Wi-Fi connection.", 3, 303, false},
	{"Internet outage at {site}", "Whole office at {site} has no internet since 8:40. ISP router shows red light.", 3, 301, false},
	{"Install Adobe Acrobat for {user}", "{user} needs Acrobat Pro to edit PDFs; licence approved by manager.", 2, 202, false},
	{"QuickBooks crashes on startup", "QuickBooks closes right after the splash screen for {user}; error code 6123.", 2, 201, false},
	{"Licence renewal: Microsoft 365", "Annual M365 subscription renews next month; confirm seat count.", 2, 203, false},
	{"Replace failing disk in {server}", "RAID controller on {server} reports a predictive failure on disk 2.", 1, 103, true},
	{"Windows updates pending on {server}", "Patch compliance report: {server} missing 7 critical updates.", 5, 503, true},
	{"Mobile phone not syncing email", "{user}'s iPhone stopped syncing mail and calendar after an iOS update.", 1, 104, false},
	{"Scanner to email not working", "The {printer} can no longer scan to email; SMTP auth error on the panel.", 1, 102, false},
	{"Mailbox almost full for {user}", "{user}'s mailbox is at 98% of its quota; archive or increase.", 4, 402, false},
	{"Set up new laptop for {user}", "Image and deploy a new laptop for {user}, migrate profile from the old one.", 1, 101, false},
	{"Monitor flickering", "{user}'s second monitor flickers and goes black intermittently.", 1, 101, false},
}

var noteTemplates = []struct{ title, description string }{
	{"Initial triage", "Contacted the user, confirmed the symptoms and gathered screenshots."},
	{"Remote session", "Connected remotely, cleared cached credentials and restarted the affected service."},
	{"Waiting on customer", "Left a voicemail and sent an email asking for a convenient time to connect."},
	{"Vendor case opened", "Opened a case with the vendor; reference number in the time entry."},
	{"Resolution", "Root cause identified and fixed; user confirmed everything works again."},
	{"Follow-up", "Checked in with the user the next day; no further issues reported."},
	{"Escalated", "Escalating to Level II: issue persists after the standard fixes."},
	{"Parts ordered", "Replacement part ordered, expected delivery in two business days."},
}

var resolutions = []string{
	"Cleared stale credentials and re-created the Outlook profile.",
	"Replaced the failed component and verified operation.",
	"Applied the vendor fix and rebooted during the maintenance window.",
	"Reset the account and walked the user through MFA registration.",
	"Restored connectivity after the ISP replaced their router.",
	"Updated firmware and confirmed the issue no longer reproduces.",
}

var serverNames = []string{"DC01", "FS01", "SQL01", "APP01", "RDS01", "HV01", "BKP01"}
var printerNames = []string{"HP LaserJet M507", "Canon iR-ADV C5535", "Brother MFC-L8900", "Xerox VersaLink C405"}
var siteNames = []string{"Head Office", "Warehouse", "Downtown Branch", "North Clinic", "Main Street Office"}

var projectTemplates = []struct {
	name  string
	tasks []string
}{
	{"Microsoft 365 Migration", []string{"Discovery and licence audit", "Migrate mailboxes", "Migrate file shares to SharePoint", "User training", "Decommission old mail server"}},
	{"Firewall Replacement", []string{"Order hardware", "Pre-stage configuration", "Cut-over", "Post-install review"}},
	{"Office Move", []string{"Site survey", "Order circuits", "Cable new office", "Move equipment", "Verify connectivity"}},
	{"Server Refresh", []string{"Procure server", "Build and patch", "Migrate roles", "Retire old server"}},
	{"Intune Rollout", []string{"Define compliance policies", "Pilot group enrolment", "Company-wide enrolment"}},
	{"Backup Modernisation", []string{"Assess current backups", "Deploy new backup appliance", "Test restores", "Document runbook"}},
}
