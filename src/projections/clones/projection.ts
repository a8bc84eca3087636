/**
 * The clone read models (SPEC §6): `clone_operations`, one row per clone with its status, progress,
 * times and completion, and `clone_audit`, one row per recorded source item.
 *
 * `CloneRequested` names the source organization but not its provider, so the projection also keeps
 * the provider of every organization from its `OrganizationCreated` (`clone_organization_providers`)
 * and stamps each clone with its source's provider when it is requested. That is why it subscribes by
 * event type (the clone events and `OrganizationCreated`) rather than to the `clone-` streams only;
 * the type filter keeps the much longer organization streams out of it.
 */
import { aggregateIdOf, ORGANIZATION_STREAM_PREFIX } from '../../application/streams.js';
import { cloneStreamId } from '../../domain/clone/decider.js';
import type { CloneStatus } from '../../domain/clone/decider.js';
import type { CloneEvent, CloneItemEventData, CloneRequested } from '../../domain/clone/events.js';
import { CLONE_EVENT_TYPES, CLONE_ITEM_EVENT_TYPES } from '../../domain/clone/events.js';
import type { PlanCategory, PlanTotals } from '../../domain/clone/plan.js';
import { totalsOf } from '../../domain/clone/totals.js';
import type { OrganizationCreated } from '../../domain/organization/events.js';
import type { RecordedEvent } from '../../eventstore/types.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import type { Projection } from '../projection.js';
import type { ReadModelDb } from '../read-model-db.js';

export const CLONE_OPERATIONS_TABLE = 'clone_operations';
export const CLONE_AUDIT_TABLE = 'clone_audit';
export const CLONE_ORGANIZATION_PROVIDERS_TABLE = 'clone_organization_providers';

export const CLONE_STREAM_PREFIX = cloneStreamId('');

/** A clone's status as stored: the domain's own spelling (the API's enum maps it). */
export type CloneOperationStatus = Exclude<CloneStatus, 'absent'>;

/** A row of `clone_operations` as stored. */
export interface CloneOperationRow {
  id: string;
  /** Provider of the source organization; null if its `OrganizationCreated` was never seen. */
  provider_id: string | null;
  source_organization_id: string;
  new_organization_id: string;
  name: string;
  requested_by: string;
  idempotency_key: string | null;
  /** Canonical JSON of the normalized selection. */
  selection: string;
  status: CloneOperationStatus;
  /** Category of the last recorded item: the part of the plan the clone is at. */
  phase: PlanCategory | null;
  items_done: number;
  item_count: number;
  /** Starts so far (0 before the first). */
  attempt: number;
  requested_at: string;
  /** First start; a resumption does not move it. */
  started_at: string | null;
  completed_at: string | null;
  /** Time of the failure that stopped the clone; null once it resumes. */
  failed_at: string | null;
  discarded_at: string | null;
  /** Time of the clone's last event. */
  updated_at: string;
  plan_id: string;
  source_version: string;
  /** Canonical JSON of the plan's totals (from the request, then those the completion records). */
  totals: string;
  /** Canonical JSON of the totals of the items recorded so far. */
  recorded_totals: string;
  /** `metadata.chainHash` of the clone's last event (null if that event has none). */
  chain_hash: string | null;
  audit_digest: string | null;
  failure_reason: string | null;
  /** 1 or 0 while failed, else null. */
  failure_resumable: number | null;
  discarded_by: string | null;
  discard_forced: number | null;
  /** Revision of the clone stream's last event. */
  version: number;
}

const OPERATION_COLUMNS = [
  'id',
  'provider_id',
  'source_organization_id',
  'new_organization_id',
  'name',
  'requested_by',
  'idempotency_key',
  'selection',
  'status',
  'phase',
  'items_done',
  'item_count',
  'attempt',
  'requested_at',
  'started_at',
  'completed_at',
  'failed_at',
  'discarded_at',
  'updated_at',
  'plan_id',
  'source_version',
  'totals',
  'recorded_totals',
  'chain_hash',
  'audit_digest',
  'failure_reason',
  'failure_resumable',
  'discarded_by',
  'discard_forced',
  'version',
] as const satisfies readonly (keyof CloneOperationRow)[];

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${CLONE_OPERATIONS_TABLE} (
    id TEXT PRIMARY KEY,
    provider_id TEXT,
    source_organization_id TEXT NOT NULL,
    new_organization_id TEXT NOT NULL,
    name TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    idempotency_key TEXT,
    selection TEXT NOT NULL,
    status TEXT NOT NULL,
    phase TEXT,
    items_done INTEGER NOT NULL,
    item_count INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    started_at TEXT,
    completed_at TEXT,
    failed_at TEXT,
    discarded_at TEXT,
    updated_at TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    source_version TEXT NOT NULL,
    totals TEXT NOT NULL,
    recorded_totals TEXT NOT NULL,
    chain_hash TEXT,
    audit_digest TEXT,
    failure_reason TEXT,
    failure_resumable INTEGER,
    discarded_by TEXT,
    discard_forced INTEGER,
    version INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS clone_operations_by_provider
    ON ${CLONE_OPERATIONS_TABLE} (provider_id, requested_at, id);
  CREATE INDEX IF NOT EXISTS clone_operations_by_source
    ON ${CLONE_OPERATIONS_TABLE} (source_organization_id, requested_at, id);
  CREATE TABLE IF NOT EXISTS ${CLONE_AUDIT_TABLE} (
    clone_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    source_id TEXT NOT NULL,
    name TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reasons TEXT NOT NULL,
    new_id TEXT,
    dropped_references TEXT NOT NULL,
    omitted_fields TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (clone_id, ordinal)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS clone_audit_by_outcome ON ${CLONE_AUDIT_TABLE} (clone_id, outcome, ordinal);
  CREATE INDEX IF NOT EXISTS clone_audit_by_category ON ${CLONE_AUDIT_TABLE} (clone_id, category, ordinal);
  CREATE TABLE IF NOT EXISTS ${CLONE_ORGANIZATION_PROVIDERS_TABLE} (
    organization_id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL
  ) WITHOUT ROWID;
`;

const ITEM_EVENT_TYPES: ReadonlySet<string> = new Set(CLONE_ITEM_EVENT_TYPES);

/**
 * When an event happened, the same on every replay: the `recordedAt` its writer stamped in the
 * metadata, else the store's commit time (both are stored with the event).
 */
export function eventTime(event: Pick<RecordedEvent, 'metadata' | 'created'>): string {
  const recordedAt = event.metadata.recordedAt;
  if (typeof recordedAt === 'string') {
    const time = Date.parse(recordedAt);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return event.created.toISOString();
}

function chainHashOf(event: RecordedEvent): string | null {
  const chainHash = event.metadata.chainHash;
  return typeof chainHash === 'string' ? chainHash : null;
}

/** A clone row being folded in memory for the length of one batch (written once at its end). */
interface PendingOperation {
  row: CloneOperationRow;
  recorded: PlanTotals;
  last: RecordedEvent;
}

function prepareStatements(db: ReadModelDb) {
  return {
    selectOperation: db.prepare<[string], CloneOperationRow>(
      `SELECT * FROM ${CLONE_OPERATIONS_TABLE} WHERE id = ?`,
    ),
    upsertOperation: db.prepare<[CloneOperationRow]>(
      `INSERT OR REPLACE INTO ${CLONE_OPERATIONS_TABLE} (${OPERATION_COLUMNS.join(', ')})
       VALUES (${OPERATION_COLUMNS.map((column) => `@${column}`).join(', ')})`,
    ),
    // A stream holds each plan index once (the decider sees to it); replacing keeps a damaged log
    // from stopping the projection, and `verify` reports such a log anyway.
    insertAuditRow: db.prepare<
      [string, number, string, string, string, string, string, string, string | null, string, string, number]
    >(
      `INSERT OR REPLACE INTO ${CLONE_AUDIT_TABLE} (clone_id, ordinal, kind, category, source_id, name,
         outcome, reasons, new_id, dropped_references, omitted_fields, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    selectProvider: db
      .prepare<[string], string>(
        `SELECT provider_id FROM ${CLONE_ORGANIZATION_PROVIDERS_TABLE} WHERE organization_id = ?`,
      )
      .pluck(),
    upsertProvider: db.prepare<[string, string]>(
      `INSERT OR REPLACE INTO ${CLONE_ORGANIZATION_PROVIDERS_TABLE} (organization_id, provider_id) VALUES (?, ?)`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function requestedRow(
  cloneId: string,
  data: CloneRequested['data'],
  event: RecordedEvent,
  providerId: string | null,
): CloneOperationRow {
  const time = eventTime(event);
  return {
    id: cloneId,
    provider_id: providerId,
    source_organization_id: data.sourceOrganizationId,
    new_organization_id: data.newOrganizationId,
    name: data.name,
    requested_by: data.requestedBy,
    idempotency_key: data.idempotencyKey,
    selection: canonicalJson(data.selection),
    status: 'requested',
    phase: null,
    items_done: 0,
    item_count: data.itemCount,
    attempt: 0,
    requested_at: time,
    started_at: null,
    completed_at: null,
    failed_at: null,
    discarded_at: null,
    updated_at: time,
    plan_id: data.planId,
    source_version: data.sourceVersion,
    totals: canonicalJson(data.totals),
    recorded_totals: canonicalJson(totalsOf([])),
    chain_hash: chainHashOf(event),
    audit_digest: null,
    failure_reason: null,
    failure_resumable: null,
    discarded_by: null,
    discard_forced: null,
    version: Number(event.revision),
  };
}

/** The stored event as its decider emitted it: the store holds exactly that. */
function domainEventOf<Event extends CloneEvent | OrganizationCreated>(event: RecordedEvent): Event {
  return { type: event.type, data: event.data as unknown } as Event;
}

function recordItem(
  statements: Statements,
  cloneId: string,
  operation: PendingOperation,
  event: RecordedEvent,
  data: CloneItemEventData,
): void {
  statements.insertAuditRow.run(
    cloneId,
    data.index,
    data.kind,
    data.category,
    data.sourceId,
    data.name,
    data.outcome,
    canonicalJson(data.reasons),
    data.newId,
    canonicalJson(data.droppedReferences),
    canonicalJson(data.omittedFields),
    Number(event.revision),
  );
  const { row, recorded } = operation;
  row.items_done += 1;
  row.phase = data.category;
  const byOutcome = (recorded[data.category] ??= {} as PlanTotals[PlanCategory]);
  byOutcome[data.outcome] = (byOutcome[data.outcome] ?? 0) + 1;
}

/** Folds one lifecycle event (anything but `CloneRequested` and the item events) into its row. */
function applyLifecycle(row: CloneOperationRow, event: CloneEvent, time: () => string): void {
  switch (event.type) {
    case 'CloneStarted':
      row.status = 'running';
      row.attempt = event.data.attempt;
      row.started_at ??= time();
      row.failed_at = null;
      row.failure_reason = null;
      row.failure_resumable = null;
      return;
    case 'CloneCompleted':
      row.status = 'completed';
      row.completed_at = time();
      row.totals = canonicalJson(event.data.totals);
      row.audit_digest = event.data.auditDigest;
      return;
    case 'CloneFailed':
      row.status = 'failed';
      row.failed_at = time();
      row.failure_reason = event.data.reason;
      row.failure_resumable = event.data.resumable ? 1 : 0;
      return;
    case 'CloneDiscarded':
      row.status = 'discarded';
      row.discarded_at = time();
      row.discarded_by = event.data.discardedBy;
      row.discard_forced = event.data.forced ? 1 : 0;
      return;
  }
}

function applyEvents(db: ReadModelDb, events: readonly RecordedEvent[]): void {
  const statements = prepareStatements(db);
  const pending = new Map<string, PendingOperation>();
  /** The clone's row for `event` to fold into, loaded on its first event of the batch. */
  const pendingOperation = (cloneId: string, event: RecordedEvent): PendingOperation | undefined => {
    let operation = pending.get(cloneId);
    if (operation === undefined) {
      const row = statements.selectOperation.get(cloneId);
      if (row === undefined) return undefined;
      operation = { row, recorded: JSON.parse(row.recorded_totals) as PlanTotals, last: event };
      pending.set(cloneId, operation);
    }
    operation.last = event;
    return operation;
  };

  for (const event of events) {
    if (event.type === 'OrganizationCreated') {
      if (!event.streamId.startsWith(ORGANIZATION_STREAM_PREFIX)) continue;
      const { data } = domainEventOf<OrganizationCreated>(event);
      statements.upsertProvider.run(
        aggregateIdOf(event.streamId, ORGANIZATION_STREAM_PREFIX),
        data.providerId,
      );
      continue;
    }
    if (!event.streamId.startsWith(CLONE_STREAM_PREFIX)) continue;
    const cloneId = aggregateIdOf(event.streamId, CLONE_STREAM_PREFIX);
    const cloneEvent = domainEventOf<CloneEvent>(event);
    if (cloneEvent.type === 'CloneRequested') {
      // Requested once per stream; anything else claiming to start the clone again is ignored.
      if (pending.has(cloneId) || statements.selectOperation.get(cloneId) !== undefined) continue;
      const providerId = statements.selectProvider.get(cloneEvent.data.sourceOrganizationId) ?? null;
      pending.set(cloneId, {
        row: requestedRow(cloneId, cloneEvent.data, event, providerId),
        recorded: totalsOf([]),
        last: event,
      });
      continue;
    }
    const operation = pendingOperation(cloneId, event);
    // Events of a clone never requested cannot come from the decider: nothing to attach them to.
    if (operation === undefined) continue;
    if (ITEM_EVENT_TYPES.has(cloneEvent.type)) {
      recordItem(statements, cloneId, operation, event, cloneEvent.data as CloneItemEventData);
    } else {
      applyLifecycle(operation.row, cloneEvent, () => eventTime(event));
    }
    operation.row.version = Number(event.revision);
    operation.row.chain_hash = chainHashOf(event);
  }

  for (const { row, recorded, last } of pending.values()) {
    row.recorded_totals = canonicalJson(recorded);
    row.updated_at = eventTime(last);
    statements.upsertOperation.run(row);
  }
}

export const clonesProjection: Projection = {
  name: 'clones',
  version: 1,
  filter: { eventTypes: [...CLONE_EVENT_TYPES, 'OrganizationCreated'] },
  setup(db) {
    db.exec(SCHEMA);
  },
  reset(db) {
    db.exec(`
      DROP TABLE IF EXISTS ${CLONE_OPERATIONS_TABLE};
      DROP TABLE IF EXISTS ${CLONE_AUDIT_TABLE};
      DROP TABLE IF EXISTS ${CLONE_ORGANIZATION_PROVIDERS_TABLE};
    `);
  },
  apply: applyEvents,
};
