/**
 * What auditors get from a clone the runner finished (SPEC §4, §7, §9), on each adapter: its raw
 * history, its audit as of any event, a verification that catches a tampered event log or read
 * model and names what does not match, and the audit exported as JSON and as spreadsheet-safe CSV.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloneAuditService as CloneAuditServiceType } from '../../src/application/clone-audit.js';
import { AUDIT_CSV_COLUMNS, CloneAuditService } from '../../src/application/clone-audit.js';
import { CloneService } from '../../src/application/clones.js';
import { CloneRunner } from '../../src/clone/runner.js';
import { auditFromPlan } from '../../src/domain/clone/audit.js';
import type { AuditRow } from '../../src/domain/clone/audit.js';
import { nextChainHash } from '../../src/domain/clone/chain.js';
import { cloneStreamId } from '../../src/domain/clone/decider.js';
import { CLONE_ITEM_EVENT_TYPES } from '../../src/domain/clone/events.js';
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import type { OrganizationState } from '../../src/domain/organization/state.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { CLONE_AUDIT_TABLE, CLONE_OPERATIONS_TABLE } from '../../src/projections/clones/projection.js';
import type { CloneReadModel } from '../../src/projections/clones/queries.js';
import type { ReadModelDb } from '../../src/projections/read-model-db.js';
import {
  byId,
  command,
  deviceGroup,
  organization,
  richSource,
  templateLookup,
  userGroup,
} from '../domain/clone/fixtures.js';
import type { CloneEnvironment } from '../projections/clones/support/environment.js';
import { ADAPTERS, cloneEnvironment } from '../projections/clones/support/environment.js';
import {
  PROVIDER_ID,
  REQUESTER,
  callerOf,
  readAll,
  seedProvider,
  seedSource,
} from '../support/clone-world.js';

const templates = templateLookup();
const ITEM_EVENT_TYPES: readonly string[] = CLONE_ITEM_EVENT_TYPES;
const OTHER_PROVIDER_ID = 'provider-2';

/** Names a spreadsheet would run as formulas, and one that needs quoting; the tenant chooses names. */
const FORMULA_NAMES = {
  'cmd-root': '=HYPERLINK("https://evil.example","click")',
  'cmd-win': "+1+cmd|' /C calc'!A0",
  'ug-staff': '-2+3',
  'dg-macs': '@SUM(A1:A9)',
  'ug-admins': 'Admins, "the real ones"',
};

/** The rich source, with the formula names on some of its items. */
function sourceWithFormulaNames(): OrganizationState {
  const rich = richSource();
  return organization({
    ...rich,
    commands: {
      ...rich.commands,
      ...byId(
        command({ ...rich.commands['cmd-root']!, name: FORMULA_NAMES['cmd-root'] }),
        command({ ...rich.commands['cmd-win']!, name: FORMULA_NAMES['cmd-win'] }),
      ),
    },
    userGroups: byId(
      userGroup({ ...rich.userGroups['ug-staff']!, name: FORMULA_NAMES['ug-staff'] }),
      userGroup({ ...rich.userGroups['ug-admins']!, name: FORMULA_NAMES['ug-admins'] }),
    ),
    deviceGroups: byId(deviceGroup({ ...rich.deviceGroups['dg-macs']!, name: FORMULA_NAMES['dg-macs'] })),
  });
}

/** RFC 4180 records of a CSV text whose lines end with CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[index + 1] === '"') {
        field += '"';
        index++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index++;
    } else field += char;
  }
  if (field !== '' || record.length > 0) throw new Error('the CSV does not end with CRLF');
  return records;
}

async function textOf(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe.each(ADAPTERS)('the clone audit service on %s', (adapter) => {
  let env: CloneEnvironment | undefined;
  const runners: CloneRunner[] = [];

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await env?.close();
    env = undefined;
  });

  interface FinishedClone {
    env: CloneEnvironment;
    db: ReadModelDb;
    readModel: CloneReadModel;
    audit: CloneAuditServiceType;
    plan: ClonePlan;
    events: RecordedEvent[];
  }

  /** A clone of `source` run by the runner to its end, with the clones read model caught up. */
  async function givenAFinishedClone(source: OrganizationState = richSource()): Promise<FinishedClone> {
    env = await cloneEnvironment(adapter);
    const { store } = env;
    await seedProvider(store);
    await seedProvider(store, { providerId: OTHER_PROVIDER_ID });
    await seedSource(store, source);
    const db = env.openDb();
    const { readModel, reach } = await env.follow(db);
    const service = new CloneService({ store, templates });
    const request = { sourceOrganizationId: source.id, name: 'Audited copy', idempotencyKey: 'audited' };
    const plan = await service.preview(callerOf(), request);
    const requested = await service.requestClone(callerOf(), { ...request, expectedPlanId: plan.planId });
    const runner = new CloneRunner({ store, templates, maxBatchItems: 5 });
    runners.push(runner);
    expect((await runner.runToCompletion(requested.cloneId)).outcome).toBe('completed');
    await reach(await store.headPosition());
    const events = await readAll(store, cloneStreamId(plan.cloneId));
    return { env, db, readModel, audit: new CloneAuditService({ store, readModel }), plan, events };
  }

  it('history: the clone stream page by page, in order, with version, position, type, time, data and metadata', async () => {
    const { audit, plan, events } = await givenAFinishedClone();

    const pages: Awaited<ReturnType<CloneAuditService['history']>>[] = [];
    for (let fromVersion = 0n; ;) {
      const page = await audit.history(PROVIDER_ID, plan.cloneId, { fromVersion, first: 4 });
      pages.push(page);
      if (page.length < 4) break;
      fromVersion = page.at(-1)!.version + 1n;
    }
    const history = pages.flat();

    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    expect(history.map((event) => event.version)).toEqual(events.map((_, index) => BigInt(index)));
    expect(history).toEqual(
      events.map((event) => ({
        version: event.revision,
        position: event.position,
        id: event.id,
        type: event.type,
        time: event.created,
        data: event.data,
        metadata: event.metadata,
      })),
    );
    // Requested, started, one event per plan item in plan order, completed.
    expect(history.at(0)!.type).toBe('CloneRequested');
    expect(history.at(1)!.type).toBe('CloneStarted');
    expect(history.at(-1)!.type).toBe('CloneCompleted');
    const items = history.slice(2, -1);
    expect(items.every((event) => ITEM_EVENT_TYPES.includes(event.type))).toBe(true);
    expect(items.map((event) => event.data)).toEqual(
      auditFromPlan(plan).map((row) => ({ ...row, cloneId: plan.cloneId })),
    );
    const typeOf = (sourceId: string) =>
      items.find((event) => (event.data as unknown as AuditRow).sourceId === sourceId)!.type;
    expect(typeOf('cmd-user')).toBe('CommandSkippedNonRootUser');
    expect(typeOf('pol-cert')).toBe('PolicySkippedSensitive');
    expect(typeOf('ca-app')).toBe('ConditionalAccessPolicySkipped');
    expect(typeOf('ip-office')).toBe('IpListCopied');
    history
      .slice(1)
      .forEach((event, index) => expect(event.position).toBeGreaterThan(history[index]!.position));
    for (const event of history) {
      expect(event.time).toBeInstanceOf(Date);
      expect(event.metadata).toEqual(
        expect.objectContaining({
          correlationId: expect.any(String),
          causationId: expect.any(String),
          actor: expect.any(String),
          recordedAt: expect.any(String),
          chainHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      );
    }
    expect(history[0]!.metadata.actor).toBe(REQUESTER.id);
    expect(history[0]!.data).toMatchObject({ planId: plan.planId, sourceVersion: plan.sourceVersion });
    expect(
      await audit.history(PROVIDER_ID, plan.cloneId, { fromVersion: BigInt(events.length), first: 10 }),
    ).toEqual([]);
    for (const options of [{ first: 0 }, { first: 1001 }, { first: 1.5 }, { fromVersion: -1n, first: 1 }]) {
      await expect(audit.history(PROVIDER_ID, plan.cloneId, options)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('auditAsOf: the audit as it stood right after each event, from none to every row of the plan', async () => {
    const { audit, plan, events } = await givenAFinishedClone();
    const planned = auditFromPlan(plan);

    const asOf = [];
    for (const event of events) asOf.push(await audit.auditAsOf(PROVIDER_ID, plan.cloneId, event.revision));

    let recorded = 0;
    for (const [index, event] of events.entries()) {
      if (ITEM_EVENT_TYPES.includes(event.type)) recorded += 1;
      expect(asOf[index]).toEqual({
        version: event.revision,
        status: index === 0 ? 'requested' : index === events.length - 1 ? 'completed' : 'running',
        rows: planned.slice(0, recorded),
      });
    }
    expect(asOf[1]).toMatchObject({ status: 'running', rows: [] });
    expect(asOf.at(-1)!.rows).toEqual(planned);
    await expect(audit.auditAsOf(PROVIDER_ID, plan.cloneId, BigInt(events.length))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(audit.auditAsOf(PROVIDER_ID, plan.cloneId, -1n)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('verify: an untouched clone verifies, every event checked against the read model', async () => {
    const { audit, plan, events } = await givenAFinishedClone();

    await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toEqual({
      ok: true,
      eventsChecked: events.length,
      readModelVersion: events.at(-1)!.revision,
    });
  });

  it('exportAudit json: the clone and one row per plan item, names exactly as the tenant wrote them', async () => {
    const { audit, plan, readModel } = await givenAFinishedClone(sourceWithFormulaNames());

    const exported = JSON.parse(await textOf(await audit.exportAudit(PROVIDER_ID, plan.cloneId, 'json'))) as {
      clone: unknown;
      rows: AuditRow[];
    };

    expect(exported.clone).toEqual(readModel.getCloneOperation(plan.cloneId));
    expect(exported.clone).toMatchObject({ status: 'completed', planId: plan.planId });
    expect(exported.rows).toEqual(auditFromPlan(plan));
    for (const [sourceId, name] of Object.entries(FORMULA_NAMES)) {
      expect(exported.rows.find((row) => row.sourceId === sourceId)!.name).toBe(name);
    }
  });

  it('exportAudit csv: a header and one record per plan item, formula-like cells neutralized', async () => {
    const { audit, plan } = await givenAFinishedClone(sourceWithFormulaNames());

    const text = await textOf(await audit.exportAudit(PROVIDER_ID, plan.cloneId, 'csv'));
    const [header, ...records] = parseCsv(text);

    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(records).toHaveLength(plan.items.length);
    const planned = auditFromPlan(plan);
    records.forEach((record, index) => {
      const row = planned[index]!;
      expect(record).toHaveLength(AUDIT_CSV_COLUMNS.length);
      expect(record[0]).toBe(String(row.index));
      expect(record.slice(1, 4)).toEqual([row.kind, row.category, row.sourceId]);
      expect(record.slice(5, 7)).toEqual([row.newId ?? '', row.outcome]);
      // JSON cells: the same values (key order is the read model's canonical one).
      expect(record.slice(7).map((cell) => JSON.parse(cell) as unknown)).toEqual([
        row.reasons,
        row.omittedFields,
        row.droppedReferences,
      ]);
      const name = record[4]!;
      expect(name).toBe(/^[=+\-@]/.test(row.name) ? `'${row.name}` : row.name);
    });
    const nameOf = (sourceId: string) => records.find((record) => record[3] === sourceId)![4];
    expect(nameOf('cmd-root')).toBe(`'${FORMULA_NAMES['cmd-root']}`);
    expect(nameOf('cmd-win')).toBe(`'${FORMULA_NAMES['cmd-win']}`);
    expect(nameOf('ug-staff')).toBe(`'${FORMULA_NAMES['ug-staff']}`);
    expect(nameOf('dg-macs')).toBe(`'${FORMULA_NAMES['dg-macs']}`);
    expect(nameOf('ug-admins')).toBe(FORMULA_NAMES['ug-admins']);
    // No cell of the export starts a formula.
    expect(records.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    await expect(audit.exportAudit(PROVIDER_ID, plan.cloneId, 'xml' as 'csv')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('verify: a read-model audit row altered after the fact is a mismatch naming its item event', async () => {
    const { audit, plan, events, db } = await givenAFinishedClone();
    const skipped = plan.items.find((item) => item.outcome === 'SKIPPED')!;
    const itemEvent = events[skipped.index + 2]!;
    expect(itemEvent.data).toMatchObject({ index: skipped.index, outcome: 'SKIPPED' });

    db.prepare(`UPDATE ${CLONE_AUDIT_TABLE} SET outcome = 'COPIED' WHERE clone_id = ? AND ordinal = ?`).run(
      plan.cloneId,
      skipped.index,
    );

    await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toMatchObject({
      ok: false,
      firstMismatch: {
        version: itemEvent.revision,
        eventId: itemEvent.id,
        type: itemEvent.type,
        problem: 'READ_MODEL_ROW_MISMATCH',
        ordinal: skipped.index,
      },
    });
  });

  it('verify: a read-model audit row deleted, or one added, is reported', async () => {
    const { audit, plan, events, db } = await givenAFinishedClone();
    const last = plan.items.at(-1)!;
    const [row] = db
      .prepare<[string, number], Record<string, unknown>>(
        `SELECT * FROM ${CLONE_AUDIT_TABLE} WHERE clone_id = ? AND ordinal = ?`,
      )
      .all(plan.cloneId, last.index);
    db.prepare(`DELETE FROM ${CLONE_AUDIT_TABLE} WHERE clone_id = ? AND ordinal = ?`).run(
      plan.cloneId,
      last.index,
    );

    await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toMatchObject({
      ok: false,
      firstMismatch: { version: events[last.index + 2]!.revision, problem: 'READ_MODEL_ROW_MISMATCH' },
    });

    const columns = Object.keys(row!);
    db.prepare(
      `INSERT INTO ${CLONE_AUDIT_TABLE} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ).run(...Object.values(row!));
    db.prepare(
      `INSERT INTO ${CLONE_AUDIT_TABLE} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ).run(...columns.map((column) => (column === 'ordinal' ? last.index + 1 : row![column])));

    await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toMatchObject({
      ok: false,
      firstMismatch: {
        type: 'CloneCompleted',
        problem: 'READ_MODEL_ROW_UNEXPECTED',
        ordinal: last.index + 1,
      },
    });
  });

  it('verify: a read-model operation row altered is a mismatch naming the field', async () => {
    const { audit, plan, events, db } = await givenAFinishedClone();

    db.prepare(`UPDATE ${CLONE_OPERATIONS_TABLE} SET audit_digest = ? WHERE id = ?`).run(
      '0'.repeat(64),
      plan.cloneId,
    );

    await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toMatchObject({
      ok: false,
      firstMismatch: {
        version: events.at(-1)!.revision,
        type: 'CloneCompleted',
        problem: 'READ_MODEL_OPERATION_MISMATCH',
        field: 'auditDigest',
      },
    });
  });

  it('verify: a read model that trails the stream is compared up to its version only', async () => {
    env = await cloneEnvironment(adapter);
    const { store } = env;
    await seedProvider(store);
    await seedSource(store, richSource());
    const trailing = await env.follow(env.openDb());
    const service = new CloneService({ store, templates });
    const requested = await service.requestClone(callerOf(), {
      sourceOrganizationId: 'org-source',
      name: 'Trailed copy',
    });
    const runner = new CloneRunner({
      store,
      templates,
      maxBatchItems: 5,
      // Halfway through, this read model stops following: it reflects the clone up to there.
      onStep: async (step) => {
        if (step.action !== 'RECORD_ITEMS' || step.fromIndex !== 10) return;
        await trailing.reach(await store.headPosition());
        await trailing.runner.stop();
      },
    });
    runners.push(runner);
    await runner.runToCompletion(requested.cloneId);
    const events = await readAll(store, cloneStreamId(requested.cloneId));
    const audit = new CloneAuditService({ store, readModel: trailing.readModel });

    const verification = await audit.verify(PROVIDER_ID, requested.cloneId);

    expect(verification).toMatchObject({ ok: true, eventsChecked: events.length });
    expect(verification.readModelVersion).not.toBeNull();
    expect(verification.readModelVersion!).toBeLessThan(events.at(-1)!.revision);
    expect(trailing.readModel.getCloneOperation(requested.cloneId)).toMatchObject({ status: 'running' });
  });

  it('answers NOT_FOUND to another provider, and for a clone that does not exist, for every method', async () => {
    const { audit, plan } = await givenAFinishedClone();

    for (const [providerId, cloneId] of [
      [OTHER_PROVIDER_ID, plan.cloneId],
      [PROVIDER_ID, 'no-such-clone'],
    ] as const) {
      const calls = [
        () => audit.history(providerId, cloneId, { first: 10 }),
        () => audit.auditAsOf(providerId, cloneId, 0n),
        () => audit.verify(providerId, cloneId),
        () => audit.exportAudit(providerId, cloneId, 'json'),
        () => audit.exportAudit(providerId, cloneId, 'csv'),
      ];
      for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  if (adapter !== 'sqlite') return;

  describe('tampering with the SQLite event log', () => {
    /** Rewrites one stored event of the clone stream behind the store's back, as an attacker with the file would. */
    function tamper(
      eventsPath: string,
      event: RecordedEvent,
      change: (data: Record<string, unknown>) => void,
    ) {
      const file = new Database(eventsPath);
      try {
        const data = structuredClone(event.data) as Record<string, unknown>;
        change(data);
        const updated = file
          .prepare('UPDATE events SET data = ? WHERE stream_id = ? AND revision = ?')
          .run(JSON.stringify(data), event.streamId, event.revision);
        expect(updated.changes).toBe(1);
        return { file, data };
      } catch (error) {
        file.close();
        throw error;
      }
    }

    it('an item event whose outcome was altered fails verification, naming that event', async () => {
      const { audit, plan, events, env: opened } = await givenAFinishedClone();
      const skipped = plan.items.find((item) => item.outcome === 'SKIPPED')!;
      const itemEvent = events[skipped.index + 2]!;

      tamper(opened.eventsPath, itemEvent, (data) => {
        data.outcome = 'COPIED';
        data.reasons = [];
      }).file.close();

      const verification = await audit.verify(PROVIDER_ID, plan.cloneId);
      expect(verification).toMatchObject({
        ok: false,
        eventsChecked: Number(itemEvent.revision) + 1,
        firstMismatch: {
          version: itemEvent.revision,
          eventId: itemEvent.id,
          type: itemEvent.type,
          problem: 'CHAIN_HASH_MISMATCH',
        },
      });
      // The altered event is what the store now serves.
      const [served] = await audit.history(PROVIDER_ID, plan.cloneId, {
        fromVersion: itemEvent.revision,
        first: 1,
      });
      expect(served!.data).toMatchObject({ outcome: 'COPIED', reasons: [] });
    });

    it('events cut off the end of the stream are caught by the read model that saw them', async () => {
      const { audit, plan, events, env: opened } = await givenAFinishedClone();
      const kept = events.length - 3;
      const file = new Database(opened.eventsPath);
      try {
        file
          .prepare('DELETE FROM events WHERE stream_id = ? AND revision >= ?')
          .run(cloneStreamId(plan.cloneId), kept);
      } finally {
        file.close();
      }

      await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toMatchObject({
        ok: false,
        readModelVersion: events.at(-1)!.revision,
        firstMismatch: {
          version: events[kept - 1]!.revision,
          problem: 'READ_MODEL_OPERATION_MISMATCH',
          field: 'version',
        },
      });
    });

    it('an item event altered with its chain hash recomputed still fails, naming that event', async () => {
      const { audit, plan, events, env: opened } = await givenAFinishedClone();
      const omitted = plan.items.find((item) => item.reasons.length > 0 && item.outcome !== 'EXCLUDED')!;
      const itemEvent = events[omitted.index + 2]!;
      const previous = events[omitted.index + 1]!;

      const { file, data } = tamper(opened.eventsPath, itemEvent, (altered) => {
        altered.reasons = [];
      });
      try {
        const metadata = {
          ...itemEvent.metadata,
          chainHash: nextChainHash(previous.metadata.chainHash as string, itemEvent.type, data),
        };
        file
          .prepare('UPDATE events SET metadata = ? WHERE stream_id = ? AND revision = ?')
          .run(JSON.stringify(metadata), itemEvent.streamId, itemEvent.revision);
      } finally {
        file.close();
      }

      await expect(audit.verify(PROVIDER_ID, plan.cloneId)).resolves.toMatchObject({
        ok: false,
        firstMismatch: { version: itemEvent.revision, eventId: itemEvent.id, type: itemEvent.type },
      });
    });
  });
});
