// The scenarios every transport must pass. Each transport file (stdio.test.js, http.test.js)
// calls defineScenarios with a way to open a client session; nothing here knows which transport
// it runs on.
//
// State: the sandbox tenant lives inside the server process and is seeded the same way every
// time, so tests find their records through the tools (as an assistant would) rather than
// hard-coding ids, and tests that write pick tickets nobody else in the run touched.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { CALLED_TOOLS, REQUEST_TIMEOUT_MS, acceptElicitation, brief, declineElicitation, resultText } from './harness.js';

export const READ_TOOLS = ['describe_fields', 'get_entity', 'get_ticket', 'query_entity'];
export const WRITE_TOOLS = ['add_ticket_note', 'create_entity', 'create_ticket', 'log_time', 'resolve_ticket', 'update_entity', 'update_ticket'];
export const ALL_TOOLS = [...READ_TOOLS, ...WRITE_TOOLS].sort();

// The tools each prompt's text names; the server offers a prompt only when it offers them all.
export const PROMPT_TOOLS = {
  company_overview: ['describe_fields', 'get_entity', 'get_ticket', 'query_entity'],
  draft_resolution: ['get_entity', 'get_ticket', 'resolve_ticket'],
  my_day: ['describe_fields', 'get_ticket', 'query_entity'],
  summarize_ticket: ['get_entity', 'get_ticket', 'query_entity'],
  triage_queue: ['describe_fields', 'get_ticket', 'query_entity', 'update_ticket'],
};

export const RESOURCE_TEMPLATES = [
  'autotask://entities/{entity}/fields',
  'autotask://tickets/by-number/{number}',
  'autotask://tickets/{id}',
];

const TICKET_NUMBER = /^T\d{8}\.\d{4,6}$/;

// defineScenarios registers the suites. connect({ elicitation }) opens a new client session.
export function defineScenarios(connect) {
  // Tickets handed to a writing test; a ticket is written by at most one test per server.
  const claimed = new Set();

  describe('initialize and list tools', () => {
    let s;
    before(async () => {
      s = await connect({ elicitation: true });
    });
    after(async () => s?.close());

    it('initializes: server info, capabilities, instructions', () => {
      const info = s.client.getServerVersion();
      assert.equal(info?.name, 'autotask-mcp');
      assert.ok(info.version, 'server version is set');
      const caps = s.client.getServerCapabilities();
      assert.ok(caps?.tools, `tools capability: ${brief(caps)}`);
      assert.ok(caps?.resources, `resources capability: ${brief(caps)}`);
      assert.ok(caps?.prompts, `prompts capability: ${brief(caps)}`);
      assert.ok(caps?.completions, `completions capability: ${brief(caps)}`);
      assert.equal(caps?.elicitation, undefined, 'elicitation is a client capability, not the server\'s');
      const instructions = s.client.getInstructions();
      assert.ok(instructions && instructions.length > 50, 'server instructions explain the tools');
    });

    it('lists every read and write tool', () => {
      assert.deepEqual(s.toolNames(), ALL_TOOLS,
        'the server lists other tools than READ_TOOLS and WRITE_TOOLS: update them, and add scenarios, in e2e/lib/scenarios.js');
    });

    it('every tool has a description, an object inputSchema and an object outputSchema', () => {
      for (const tool of s.tools) {
        assert.ok(tool.description?.length > 20, `${tool.name}: description`);
        assert.equal(tool.inputSchema?.type, 'object', `${tool.name}: inputSchema.type`);
        assert.equal(tool.outputSchema?.type, 'object', `${tool.name}: outputSchema.type`);
        assert.ok(
          Object.keys(tool.outputSchema.properties ?? {}).length > 0,
          `${tool.name}: outputSchema has properties`,
        );
      }
    });

    it('read tools are annotated read-only, write tools are not', () => {
      for (const tool of s.tools) {
        const readOnly = tool.annotations?.readOnlyHint === true;
        assert.equal(readOnly, READ_TOOLS.includes(tool.name), `${tool.name}: readOnlyHint ${readOnly}`);
      }
    });

    it('output schemas compile and reject what does not match', () => {
      // The same validator the SDK applies to every structuredContent: prove it is live, so a
      // schema mismatch in any later call is a failure, not a silent pass.
      for (const tool of s.tools) {
        const validate = s.validator(tool.name);
        assert.equal(validate('not an object').valid, false, `${tool.name}: a string passed its output schema`);
      }
    });
  });

  describe('read tools', () => {
    let s;
    before(async () => {
      s = await connect({ elicitation: false });
    });
    after(async () => s?.close());

    it('describe_fields: the entity catalog', async () => {
      const out = await s.ok('describe_fields', {});
      assert.equal(typeof out.entities, 'object');
      for (const name of ['Tickets', 'Companies', 'Contacts', 'TicketNotes', 'TimeEntries']) {
        assert.ok(out.entities[name], `catalog lists ${name}`);
      }
    });

    it('describe_fields: Tickets with picklists, and one field', async () => {
      const all = await s.ok('describe_fields', { entity: 'tickets', include_picklists: true });
      assert.equal(all.entity, 'Tickets');
      const names = all.fields.map((f) => f.name);
      for (const f of ['id', 'ticketNumber', 'title', 'status', 'companyID']) assert.ok(names.includes(f), f);
      const status = await completeStatus(s);
      assert.ok(status.id, 'a status labelled exactly "Complete"');
    });

    it('query_entity: a page, the next page through the cursor, and a count', async () => {
      const first = await s.ok('query_entity', { entity: 'Tickets', limit: 3 });
      assert.equal(first.entity, 'Tickets');
      assert.equal(first.items.length, 3);
      assert.ok(first.next_cursor, 'a cursor for the next page');
      // A cursor carries its query; only entity and cursor are passed with it.
      const second = await s.ok('query_entity', { entity: 'Tickets', cursor: first.next_cursor });
      assert.equal(second.items.length, 3);
      const ids = new Set(first.items.map((t) => t.id));
      for (const t of second.items) assert.ok(!ids.has(t.id), `ticket ${t.id} on both pages`);
      const count = await s.ok('query_entity', { entity: 'Tickets', count_only: true });
      assert.ok(Number.isInteger(count.total) && count.total >= 6, `count ${count.total}`);
    });

    it('query_entity: a picklist label in a filter, and chosen fields', async () => {
      const out = await s.ok('query_entity', {
        entity: 'Tickets',
        filter: [{ field: 'status', op: 'eq', value: 'In Progress' }],
        fields: ['id', 'ticketNumber', 'status'],
        limit: 5,
      });
      assert.ok(out.items.length > 0, 'sandbox has tickets In Progress');
      for (const t of out.items) {
        // A value an eq condition pins is given once for the page, under common.
        const row = { ...out.common, ...t };
        assert.equal(statusLabel(row), 'In Progress', brief(row));
        assert.deepEqual(Object.keys(row).sort(), ['id', 'status', 'ticketNumber'], brief(row));
      }
      const grouped = await s.ok('query_entity', {
        entity: 'companies',
        filter: [{ op: 'or', items: [{ field: 'id', op: 'gt', value: 0 }, { field: 'companyName', op: 'exist' }] }],
        limit: 2,
      });
      assert.equal(grouped.entity, 'Companies');
      assert.equal(grouped.items.length, 2);
    });

    it('get_ticket: by id with every include, and by number', async () => {
      const [t] = (await s.ok('query_entity', { entity: 'Tickets', limit: 1, fields: ['id', 'ticketNumber'] })).items;
      const byID = await s.ok('get_ticket', {
        ticket_id: t.id,
        include: ['notes', 'time_entries', 'company', 'contact'],
      });
      assert.equal(byID.ticket.id, t.id);
      assert.match(byID.ticket.ticketNumber, TICKET_NUMBER);
      assert.ok(byID.version, 'the version it was read at');
      assert.ok(Number.isInteger(byID.notes?.total), 'notes included');
      assert.ok(Number.isInteger(byID.time_entries?.total), 'time entries included');
      assert.ok(byID.company, 'company included');
      const byNumber = await s.ok('get_ticket', { ticket_number: t.ticketNumber });
      assert.equal(byNumber.ticket.id, t.id);
    });

    it('get_entity: a company, a contact and a ticket note', async () => {
      const [t] = (
        await s.ok('query_entity', {
          entity: 'Tickets',
          filter: [{ field: 'contactID', op: 'exist' }],
          fields: ['id', 'companyID', 'contactID'],
          limit: 1,
        })
      ).items;
      const company = await s.ok('get_entity', { entity: 'Companies', id: refID(t.companyID) });
      assert.equal(company.entity, 'Companies');
      assert.equal(company.id, refID(t.companyID));
      assert.ok(company.version);
      const contact = await s.ok('get_entity', { entity: 'contacts', id: refID(t.contactID) });
      assert.equal(contact.entity, 'Contacts');
      const [note] = (await s.ok('query_entity', { entity: 'TicketNotes', limit: 1 })).items;
      const got = await s.ok('get_entity', { entity: 'TicketNotes', id: note.id });
      assert.equal(got.record.id ?? got.id, note.id);
    });
  });

  describe('tool errors are results with isError, never protocol errors', () => {
    let s;
    let ticket;
    before(async () => {
      s = await connect({ elicitation: false });
      [ticket] = (await s.ok('query_entity', { entity: 'Tickets', limit: 1, fields: ['id', 'ticketNumber'] })).items;
    });
    after(async () => s?.close());

    const huge = 'x'.repeat(2 * 1024 * 1024);
    const cases = [
      ['get_ticket', {}, /ticket_id|ticket_number/],
      ['get_ticket', { ticket_id: 'abc' }, /ticket_id/],
      ['get_ticket', { ticket_id: 10001, ticket_number: 'T20260527.0001' }, /not both|either|one of/i],
      ['get_ticket', { ticket_id: -5 }, /ticket_id/],
      ['get_ticket', { ticket_id: 999999999 }, /999999999/],
      ['get_ticket', { ticket_number: 'bogus' }, /ticket.number/i],
      ['get_ticket', { ticket_id: 10001, include: ['everything'] }, /include|everything/],
      ['query_entity', {}, /entity/],
      ['query_entity', { entity: 'Nope' }, /Nope/],
      ['query_entity', { entity: 'Tickets', limit: -1 }, /limit/],
      ['query_entity', { entity: 'Tickets', filter: [{ field: 'accountID', op: 'eq', value: 1 }] }, /companyID/],
      ['query_entity', { entity: 'Tickets', filter: [{ field: 'id', op: 'like', value: 1 }] }, /op/],
      ['query_entity', { entity: 'Tickets', filter: [{ field: 'title', op: 'contains', value: huge }] }, /./],
      ['query_entity', { entity: 'Tickets', cursor: 'not-a-cursor' }, /cursor/],
      ['describe_fields', { entity: 'Nope' }, /Nope/],
      ['describe_fields', { entity: 'Tickets', field: 'nope' }, /nope/],
      ['get_entity', { entity: 'Tickets' }, /id/],
      ['get_entity', { id: 1 }, /entity/],
      ['get_entity', { entity: 'Companies', id: 999999999 }, /999999999/],
      ['add_ticket_note', { title: 'x', description: 'y' }, /ticket_id/],
      ['update_ticket', { ticket_id: 10001 }, /changes/],
      ['resolve_ticket', { ticket_id: 10001 }, /resolution/],
      ['create_ticket', { title: 'No company', description: 'x' }, /company/],
      ['create_ticket', { company: 'No Such Company Ltd', title: 't', description: 'd' }, /company|No Such Company/i],
      ['log_time', { ticket_id: 10001, summary: 'x' }, /hours/],
      ['log_time', { hours: 1, summary: 'x' }, /ticket_id|task_id/],
      ['log_time', { ticket_id: 10001, task_id: 9001, hours: 1, summary: 'x' }, /not both/],
    ];
    for (const [tool, args, pattern] of cases) {
      it(`${tool} ${brief(args, 120)}`, async () => {
        const text = await s.toolError(tool, args);
        assert.match(text, pattern, `${tool}: the message should say what to change`);
      });
    }

    it('a write to a ticket this session has not read is refused, and nothing is written', async () => {
      const other = await connect({ elicitation: false });
      try {
        const before = await other.ok('get_ticket', { ticket_id: ticket.id, include: ['notes'] });
        const text = await s.toolError('add_ticket_note', {
          ticket_id: ticket.id,
          title: 'e2e: must be refused',
          description: 'written without a prior read',
        });
        assert.match(text, /read|get_ticket/i, 'tells the assistant to read the ticket first');
        const afterRead = await other.ok('get_ticket', { ticket_id: ticket.id, include: ['notes'] });
        assert.equal(afterRead.notes.total, before.notes.total, 'no note was added');
        assert.equal(afterRead.version, before.version, 'the ticket did not change');
      } finally {
        await other.close();
      }
    });

    it('an unknown tool is a protocol error, and the server keeps answering', async () => {
      await assert.rejects(s.client.callTool({ name: 'no_such_tool', arguments: {} }), /no_such_tool/);
      await s.ok('query_entity', { entity: 'Tickets', count_only: true });
    });
  });

  describe('resources', () => {
    let s;
    let ticket;
    before(async () => {
      s = await connect({ elicitation: false });
      [ticket] = (await s.ok('query_entity', { entity: 'Tickets', limit: 1, fields: ['id', 'ticketNumber'] })).items;
    });
    after(async () => s?.close());

    it('lists the catalog resource and the three templates', async () => {
      const { resources } = await s.client.listResources();
      assert.ok(
        resources.some((r) => r.uri === 'autotask://entities'),
        `resources: ${brief(resources)}`,
      );
      const { resourceTemplates } = await s.client.listResourceTemplates();
      assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), RESOURCE_TEMPLATES);
      for (const r of [...resources, ...resourceTemplates]) assert.equal(r.mimeType, 'application/json');
    });

    it('reads autotask://entities', async () => {
      const out = await s.readJSON('autotask://entities');
      assert.ok(out.entities?.Tickets, 'the catalog lists Tickets');
    });

    it('reads autotask://entities/{entity}/fields', async () => {
      const out = await s.readJSON('autotask://entities/Tickets/fields');
      assert.equal(out.entity, 'Tickets');
      const status = out.fields.find((f) => f.name === 'status');
      assert.ok(status?.values?.some((v) => v.label === 'Complete'), 'status picklist values included');
    });

    it('reads autotask://tickets/{id} and autotask://tickets/by-number/{number}', async () => {
      const byID = await s.readJSON(`autotask://tickets/${ticket.id}`);
      assert.equal(byID.ticket.id, ticket.id);
      assert.ok(byID.version);
      const byNumber = await s.readJSON(`autotask://tickets/by-number/${ticket.ticketNumber}`);
      assert.equal(byNumber.ticket.id, ticket.id);
      assert.equal(byNumber.ticket.ticketNumber, ticket.ticketNumber);
    });

    it('a ticket read through a resource counts as a read before a write', async () => {
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: false });
      await s.readJSON(`autotask://tickets/${t.id}`);
      const out = await s.ok('add_ticket_note', {
        ticket_id: t.id,
        title: 'e2e: note after a resource read',
        description: 'The ticket was read through autotask://tickets/{id}.',
      });
      assert.ok(out, 'note added');
    });

    it('an unknown ticket and an unknown URI are errors, and the server keeps answering', async () => {
      await assert.rejects(s.client.readResource({ uri: 'autotask://tickets/999999999' }), /999999999/);
      await assert.rejects(s.client.readResource({ uri: 'autotask://nope' }));
      await s.readJSON('autotask://entities/Companies/fields');
    });
  });

  describe('prompts and completions', () => {
    let s;
    let ticket;
    let company;
    let tech;
    before(async () => {
      s = await connect({ elicitation: false });
      [ticket] = (await s.ok('query_entity', { entity: 'Tickets', limit: 1, fields: ['id', 'ticketNumber'] })).items;
      [company] = (
        await s.ok('query_entity', {
          entity: 'Companies',
          filter: [{ field: 'isActive', op: 'eq', value: true }, { field: 'id', op: 'gt', value: 0 }],
          fields: ['id', 'companyName'],
          limit: 1,
        })
      ).items;
      [tech] = (
        await s.ok('query_entity', {
          entity: 'Resources',
          filter: [{ field: 'isActive', op: 'eq', value: true }, { field: 'email', op: 'endsWith', value: 'northstar-it.example' }],
          fields: ['id', 'firstName', 'lastName'],
          limit: 1,
        })
      ).items;
    });
    after(async () => s?.close());

    it('lists every prompt, each described, with described arguments', async () => {
      const { prompts } = await s.client.listPrompts();
      assert.deepEqual(prompts.map((p) => p.name).sort(), Object.keys(PROMPT_TOOLS).sort(),
        'the server lists other prompts than PROMPT_TOOLS: update it, and these scenarios, in e2e/lib/scenarios.js');
      for (const p of prompts) {
        assert.ok(p.description?.length > 30, `${p.name}: description`);
        for (const a of p.arguments ?? []) assert.ok(a.description?.length > 20, `${p.name} ${a.name}: description`);
      }
    });

    it('gets each prompt with arguments, and its text names the right tools and the guard\'s rules', async () => {
      const cases = {
        triage_queue: { queue: 'Level I Support' },
        summarize_ticket: { ticket_number: ticket.ticketNumber },
        draft_resolution: { ticket_number: ticket.ticketNumber },
        my_day: { resource: `${tech.firstName} ${tech.lastName}` },
        company_overview: { company: company.companyName },
      };
      const tools = new Set(s.toolNames());
      for (const [name, args] of Object.entries(cases)) {
        const res = await s.client.getPrompt({ name, arguments: args }, { timeout: REQUEST_TIMEOUT_MS });
        assert.equal(res.messages.length, 1, `${name}: one message`);
        const text = res.messages[0].content.text;
        assert.equal(typeof text, 'string', `${name}: a text message`);
        for (const value of Object.values(args)) assert.ok(text.includes(value), `${name}: the text carries ${value}`);
        const named = [...new Set(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g).filter((w) => tools.has(w)))].sort();
        assert.deepEqual(named, PROMPT_TOOLS[name], `${name}: the tools its text names`);
        for (const rule of ['Read before you write', 'confirm', 'untrusted']) assert.ok(text.includes(rule), `${name}: rule ${rule}`);
      }
    });

    it('a prompt without its required argument is an error, and the server keeps answering', async () => {
      await assert.rejects(s.client.getPrompt({ name: 'summarize_ticket', arguments: {} }), /ticket_number/);
      await s.client.listPrompts();
    });

    it('completes each kind of value', async () => {
      const complete = async (ref, name, value) =>
        (await s.client.complete({ ref, argument: { name, value } }, { timeout: REQUEST_TIMEOUT_MS })).completion;
      const prompt = (name) => ({ type: 'ref/prompt', name });
      const template = (uri) => ({ type: 'ref/resource', uri });
      const startsWith = (values, prefix) =>
        values.every((v) => v.toLowerCase().startsWith(prefix.toLowerCase()));

      const entities = await complete(template('autotask://entities/{entity}/fields'), 'entity', 'tick');
      assert.ok(entities.values.includes('Tickets') && startsWith(entities.values, 'tick'), brief(entities));

      const prefix = ticket.ticketNumber.slice(0, 8);
      for (const [ref, arg] of [
        [template('autotask://tickets/by-number/{number}'), 'number'],
        [prompt('summarize_ticket'), 'ticket_number'],
        [prompt('draft_resolution'), 'ticket_number'],
      ]) {
        const numbers = await complete(ref, arg, prefix);
        assert.ok(numbers.values.length > 0 && numbers.values.length <= 10, brief(numbers));
        assert.ok(startsWith(numbers.values, prefix), brief(numbers));
      }

      const queues = await complete(prompt('triage_queue'), 'queue', 'level');
      assert.deepEqual(queues.values, ['Level I Support', 'Level II Support']);

      const companyPrefix = company.companyName.slice(0, 3);
      const companies = await complete(prompt('company_overview'), 'company', companyPrefix);
      assert.ok(companies.values.includes(company.companyName) && startsWith(companies.values, companyPrefix), brief(companies));

      const people = await complete(prompt('my_day'), 'resource', tech.lastName.slice(0, 3));
      assert.ok(people.values.includes(`${tech.firstName} ${tech.lastName}`), brief(people));

      for (const [ref, arg] of [[prompt('no_such_prompt'), 'queue'], [prompt('triage_queue'), 'colour'], [template('autotask://nope/{x}'), 'x']]) {
        assert.deepEqual((await complete(ref, arg, 'a')).values, [], `${brief(ref)} ${arg}: nothing, not an error`);
      }
    });
  });

  describe('write tools (client declares elicitation)', () => {
    let s;
    before(async () => {
      s = await connect({ elicitation: true });
    });
    after(async () => s?.close());

    it('add_ticket_note after get_ticket adds exactly one note', async () => {
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: false });
      const before = await s.ok('get_ticket', { ticket_id: t.id, include: ['notes'] });
      const title = `e2e note ${Date.now()}`;
      await s.ok('add_ticket_note', { ticket_id: t.id, title, description: 'Added by the e2e suite.' });
      const after = await s.ok('get_ticket', { ticket_id: t.id, include: ['notes'] });
      assert.equal(after.notes.total, before.notes.total + 1);
      assert.ok(
        after.notes.items.some((n) => n.title === title),
        `the new note is listed: ${brief(after.notes.items)}`,
      );
      assert.equal(s.elicitations.length, 0, 'a note needs no confirmation');
    });

    it('update_ticket changes only the named field, without asking', async () => {
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: false });
      const before = await s.ok('get_ticket', { ticket_id: t.id });
      const title = `e2e updated title ${Date.now()}`;
      const elicitationsBefore = s.elicitations.length;
      await s.ok('update_ticket', { ticket_id: t.id, changes: { title } });
      assert.equal(s.elicitations.length, elicitationsBefore, 'a title change needs no confirmation');
      const after = await s.ok('get_ticket', { ticket_id: t.id });
      assert.equal(after.ticket.title, title);
      assert.deepEqual(after.ticket.status, before.ticket.status, 'status unchanged');
      assert.equal(after.ticket.description, before.ticket.description, 'description unchanged');
      assert.deepEqual(after.ticket.priority, before.ticket.priority, 'priority unchanged');
    });

    it('log_time by ticket number logs one entry, unasked; resolve_ticket then leaves the status', async () => {
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: true });
      const before = await s.ok('get_ticket', { ticket_id: t.id, include: ['time_entries'] });
      const summary = `e2e time ${Date.now()}`;
      const elicitationsBefore = s.elicitations.length;
      const out = await s.ok('log_time', { ticket_number: before.ticket.ticketNumber, hours: 1.25, summary });
      assert.equal(out.outcome, 'applied');
      assert.ok(Number.isInteger(out.time_entry_id) && out.time_entry_id > 0, `time entry id in ${brief(out)}`);
      assert.match(out.notes.join(' '), /resolve_ticket will leave its status/);
      assert.equal(s.elicitations.length, elicitationsBefore, 'logging time needs no confirmation');
      const after = await s.ok('get_ticket', { ticket_id: t.id, include: ['time_entries'] });
      assert.equal(after.time_entries.total, before.time_entries.total + 1);
      assert.ok(
        after.time_entries.items.some((e) => e.summaryNotes === summary && e.hoursWorked === 1.25),
        `the entry is listed: ${brief(after.time_entries.items)}`,
      );
      const resolved = await s.ok('resolve_ticket', { ticket_id: t.id, resolution: 'Resolved by the e2e suite.' });
      assert.equal(resolved.outcome, 'applied');
      const final = await s.ok('get_ticket', { ticket_id: t.id });
      assert.deepEqual(final.ticket.status, before.ticket.status, 'with time logged, the status stays');
    });

    it('create_ticket with a company by id, then get_ticket finds it', async () => {
      const [company] = (
        await s.ok('query_entity', { entity: 'Companies', limit: 1, fields: ['id', 'companyName'] })
      ).items;
      const title = `e2e created ${Date.now()}`;
      const out = await s.ok('create_ticket', {
        company: company.id,
        title,
        description: 'Created by the e2e suite through the MCP TypeScript SDK.',
      });
      const id = createdTicketID(out);
      assert.ok(Number.isInteger(id) && id > 0, `created ticket id in ${brief(out)}`);
      claimed.add(id);
      const got = await s.ok('get_ticket', { ticket_id: id });
      assert.equal(got.ticket.title, title);
      assert.equal(refID(got.ticket.companyID), company.id);
    });

    it('create_entity creates a contact under a company, update_entity changes it, each once the person accepts', async () => {
      const companies = await s.ok('query_entity', {
        entity: 'Companies', limit: 1, fields: ['id'], filter: [{ field: 'id', op: 'gt', value: 0 }],
      });
      const companyID = companies.items[0].id;
      await s.ok('get_entity', { entity: 'Companies', id: companyID });
      const lastName = `E2e${Date.now()}`;
      const asked = s.elicitations.length;
      s.elicitAnswer = acceptElicitation;
      let result;
      try {
        result = await s.call('create_entity', {
          entity: 'Contacts', parent: 'Companies', parent_id: companyID,
          fields: { firstName: 'Ada', lastName, isActive: 1 },
        });
      } finally {
        s.elicitAnswer = null;
      }
      assert.notEqual(result.isError, true, `create_entity failed: ${resultText(result)}`);
      assert.equal(s.elicitations.length, asked + 1, 'the person was asked exactly once');
      const question = JSON.stringify(s.elicitations.at(-1));
      assert.ok(question.includes(lastName), `the question shows the exact values: ${question}`);
      assert.equal(result.structuredContent.outcome, 'applied', brief(result.structuredContent));
      const id = result.structuredContent.record_id;
      assert.ok(Number.isInteger(id) && id > 0, `record id in ${brief(result.structuredContent)}`);
      const contact = await s.ok('get_entity', { entity: 'Contacts', id });
      const rec = contact.record;
      assert.equal(rec.lastName, lastName, `the contact as created: ${brief(rec)}`);
      assert.equal(rec.firstName, 'Ada');

      // update_entity: one field, confirmed the same way; the rest of the contact stays.
      s.elicitAnswer = acceptElicitation;
      try {
        result = await s.call('update_entity', { entity: 'Contacts', id, changes: { title: 'CTO' } });
      } finally {
        s.elicitAnswer = null;
      }
      assert.notEqual(result.isError, true, `update_entity failed: ${resultText(result)}`);
      assert.equal(s.elicitations.length, asked + 2, 'the person was asked again for the change');
      assert.equal(result.structuredContent.outcome, 'applied', brief(result.structuredContent));
      const changed = (await s.ok('get_entity', { entity: 'Contacts', id })).record;
      assert.equal(changed.title, 'CTO');
      assert.equal(changed.lastName, lastName, 'the other fields are kept');
      assert.equal(changed.firstName, 'Ada');
    });

    it('resolve_ticket completes a ticket without time entries when the person accepts', async () => {
      const complete = await completeStatus(s);
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: true });
      const read = await s.ok('get_ticket', { ticket_id: t.id });
      const resolution = `e2e: resolved through elicitation ${Date.now()}`;
      const asked = s.elicitations.length;
      s.elicitAnswer = acceptElicitation;
      let result;
      try {
        result = await s.call('resolve_ticket', { ticket_id: t.id, resolution, complete: true });
      } finally {
        s.elicitAnswer = null;
      }
      assert.notEqual(result.isError, true, `resolve_ticket failed: ${resultText(result)}`);
      assert.equal(s.elicitations.length, asked + 1, 'the person was asked exactly once');
      const question = JSON.stringify(s.elicitations.at(-1));
      assert.ok(question.includes(read.ticket.ticketNumber), `the question names the ticket: ${question}`);
      assert.match(question, /Complete/, 'the question names the new status');
      assert.ok(saysCompleted(result), `the result says the ticket was completed: ${brief(result.structuredContent)}`);
      assert.equal(result.structuredContent.ticket_id, t.id);

      const after = await s.ok('get_ticket', { ticket_id: t.id });
      assert.equal(statusLabel(after.ticket), 'Complete', `status after: ${brief(after.ticket.status)}`);
      assert.equal(String(statusID(after.ticket)), String(complete.id));
      assert.equal(after.ticket.resolution, resolution);
      assert.ok(after.ticket.completedDate, 'completedDate set');
    });

    it('resolve_ticket changes nothing when the person declines', async () => {
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: true });
      const before = await s.ok('get_ticket', { ticket_id: t.id, include: ['notes'] });
      const asked = s.elicitations.length;
      s.elicitAnswer = declineElicitation;
      let result;
      try {
        result = await s.call('resolve_ticket', {
          ticket_id: t.id,
          resolution: 'e2e: this must not be written',
          note: 'e2e: this note must not be added',
          complete: true,
        });
      } finally {
        s.elicitAnswer = null;
      }
      assert.equal(s.elicitations.length, asked + 1, 'the person was asked exactly once');
      assert.notEqual(result.isError, true, `a decline is an answer, not a failure: ${resultText(result)}`);
      assert.equal(result.structuredContent.outcome, 'declined', brief(result.structuredContent));
      assert.equal(result.structuredContent.written, false, 'nothing written');
      const after = await s.ok('get_ticket', { ticket_id: t.id, include: ['notes'] });
      assert.deepEqual(after.ticket.status, before.ticket.status, 'status unchanged');
      assert.equal(after.ticket.resolution, before.ticket.resolution, 'resolution unchanged');
      assert.equal(after.notes.total, before.notes.total, 'no note added');
      assert.equal(after.version, before.version, 'the ticket did not change at all');
    });
  });

  describe('write tools (client without elicitation: confirm token)', () => {
    let s;
    before(async () => {
      s = await connect({ elicitation: false });
    });
    after(async () => s?.close());

    it('resolve_ticket previews, then completes with the confirm token', async () => {
      const [t] = await findOpenTickets(s, claimed, 1, { withoutTimeEntries: true });
      const before = await s.ok('get_ticket', { ticket_id: t.id });
      const args = { ticket_id: t.id, resolution: `e2e: resolved with a token ${Date.now()}`, complete: true };
      const preview = await s.call('resolve_ticket', args);
      const token = confirmToken(preview);
      assert.ok(token, `the first call returns a confirm token: ${brief(preview)}`);
      assert.equal(preview.structuredContent.written, false, 'the preview wrote nothing');
      assert.ok(
        preview.structuredContent.confirmation.message.includes(before.ticket.ticketNumber),
        `the confirmation names the ticket: ${preview.structuredContent.confirmation.message}`,
      );
      const unchanged = await s.ok('get_ticket', { ticket_id: t.id });
      assert.equal(unchanged.version, before.version, 'the preview changed nothing');
      const done = await s.ok('resolve_ticket', { ...args, confirm: token });
      assert.ok(saysCompleted({ structuredContent: done }), `completed: ${brief(done)}`);
      const after = await s.ok('get_ticket', { ticket_id: t.id });
      assert.equal(statusLabel(after.ticket), 'Complete');
      // Replaying the used token must not write again: a refusal, or "unchanged" because the
      // ticket already is what the token asked for.
      const replay = await s.call('resolve_ticket', { ...args, confirm: token });
      assert.notEqual(replay.structuredContent?.written, true, `a replayed token wrote: ${brief(replay)}`);
      const final = await s.ok('get_ticket', { ticket_id: t.id });
      assert.equal(final.version, after.version, 'the replay changed nothing');
    });
  });

  // Runs last: the suites above run in order, one after another.
  describe('coverage', () => {
    it('every tool was called by a scenario', () => {
      const missing = ALL_TOOLS.filter((name) => !CALLED_TOOLS.has(name));
      assert.deepEqual(missing, [], `tools no scenario called: add scenarios for them in e2e/lib/scenarios.js`);
    });
  });
}

// completeStatus reads the tenant's status picklist: status ids differ per tenant.
async function completeStatus(s) {
  const out = await s.ok('describe_fields', { entity: 'Tickets', field: 'status' });
  const field = out.fields.find((f) => f.name === 'status');
  assert.ok(field?.values, `status picklist: ${brief(out)}`);
  const complete = field.values.find((v) => v.label === 'Complete');
  assert.ok(complete, `a status labelled exactly "Complete": ${brief(field.values)}`);
  return complete;
}

// findOpenTickets finds n tickets not yet Complete and not claimed by another test, the way an
// assistant would: query_entity for candidates, get_ticket with time_entries to check each.
async function findOpenTickets(s, claimed, n, { withoutTimeEntries }) {
  const complete = await completeStatus(s);
  const found = [];
  let cursor;
  for (let page = 0; page < 10 && found.length < n; page++) {
    const out = await s.ok(
      'query_entity',
      cursor
        ? { entity: 'Tickets', cursor }
        : {
            entity: 'Tickets',
            filter: [{ field: 'status', op: 'noteq', value: Number(complete.id) }],
            fields: ['id', 'ticketNumber', 'status'],
            limit: 25,
          },
    );
    for (const t of out.items) {
      if (found.length >= n) break;
      if (claimed.has(t.id) || /^complete/i.test(statusLabel(t) ?? '')) continue;
      if (withoutTimeEntries) {
        const got = await s.ok('get_ticket', { ticket_id: t.id, include: ['time_entries'] });
        if (got.time_entries.total !== 0) continue;
      }
      claimed.add(t.id);
      found.push(t);
    }
    cursor = out.next_cursor;
    if (!cursor) break;
  }
  assert.equal(found.length, n, `found ${found.length} of ${n} open tickets${withoutTimeEntries ? ' without time entries' : ''}`);
  return found;
}

// Picklist values come back compact: "In Progress (10)", or {id, label}. Both are accepted so the
// suite tests what an assistant can read, not one spelling of it.
function picklist(value) {
  if (value && typeof value === 'object') return { id: value.id, label: value.label };
  if (typeof value === 'string') {
    const m = /^(.*) \((-?\d+)\)$/.exec(value);
    if (m) return { id: m[2], label: m[1] };
    return { label: value };
  }
  return { id: value };
}

// References come back as "Contoso (215)", the same shape: the id is the number in brackets.
function refID(value) {
  const id = picklist(value).id;
  return id === undefined ? undefined : Number(id);
}

function statusLabel(ticket) {
  return picklist(ticket.status).label;
}

function statusID(ticket) {
  return picklist(ticket.status).id;
}

// The write tools share one result shape (outcome, written, changes, confirmation).
function createdTicketID(out) {
  return out.ticket_id;
}

// saysCompleted: the write was applied and its changes set the status to Complete.
function saysCompleted(result) {
  if (!result || result.isError) return false;
  const sc = result.structuredContent ?? {};
  if (sc.outcome !== 'applied' || sc.written !== true) return false;
  const status = (sc.changes ?? []).find((c) => c.field === 'status');
  return Boolean(status) && picklist(status.after).label === 'Complete';
}

function confirmToken(result) {
  const sc = result.structuredContent ?? {};
  return sc.outcome === 'confirmation_required' ? sc.confirmation?.token : undefined;
}
