/**
 * Reads of the clone read models (tables written by `clonesProjection`). Queries that take ids answer
 * in the order of the ids, one entry per id, so that they can back a DataLoader batch function
 * directly; lists are keyset-paginated (`first` rows after the key `after`, which the matching
 * `…ListKey` function makes from a row). Provider isolation is the caller's: a record names its
 * provider, `listCloneOperations` only lists the given provider's clones.
 */
import type { Statement } from 'better-sqlite3';
import type { AuditRow } from '../../domain/clone/audit.js';
import { ValidationError } from '../../domain/errors.js';
import type { DroppedReference, Outcome, PlanCategory, PlanTotals } from '../../domain/clone/plan.js';
import type { NormalizedSelection } from '../../domain/clone/selection.js';
import type { ReadModelDb } from '../read-model-db.js';
import type { CloneOperationRow, CloneOperationStatus } from './projection.js';
import { CLONE_AUDIT_TABLE, CLONE_OPERATIONS_TABLE } from './projection.js';

export type { CloneOperationStatus } from './projection.js';

export interface CloneOperationRecord {
  id: string;
  /** Provider of the source organization; null only if the log lacks the source's creation. */
  providerId: string | null;
  sourceOrganizationId: string;
  newOrganizationId: string;
  name: string;
  /** Administrator id. */
  requestedBy: string;
  idempotencyKey: string | null;
  selection: NormalizedSelection;
  status: CloneOperationStatus;
  /** Plan category of the last recorded item (items are recorded category by category); null before the first. */
  phase: PlanCategory | null;
  /** Items recorded so far, of the plan's `total`. */
  progress: { done: number; total: number };
  /** Starts so far: 1 for the first, one more per resumption; 0 while pending. */
  attempt: number;
  /** ISO-8601 times: the writer's `recordedAt`, else the store's commit time. */
  requestedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** When the failure that stopped the clone happened; null once it resumes. */
  failedAt: string | null;
  discardedAt: string | null;
  /** Time of the clone's last event. */
  updatedAt: string;
  planId: string;
  /** Revision of the source organization's stream the clone copies, as a decimal string. */
  sourceVersion: string;
  /** The plan's totals per category and outcome. */
  totals: PlanTotals;
  /** Totals of the items recorded so far (equal to `totals` once completed). */
  recordedTotals: PlanTotals;
  /** Chain hash of the clone's last event, from its metadata. */
  chainHash: string | null;
  /** Digest of the ordered item outcomes, recorded by `CloneCompleted`. */
  auditDigest: string | null;
  /** While failed: the stable reason code and whether starting again resumes the clone. */
  failure: { reason: string; resumable: boolean } | null;
  discarded: { by: string; forced: boolean } | null;
  /** Revision of the clone stream's last event, as a decimal string. */
  version: string;
}

export interface ListCloneOperationsOptions {
  status?: CloneOperationStatus | null;
  sourceOrganizationId?: string | null;
  /** Only clones of or into these organizations (an administrator with `LINKED` access). */
  visibleOrganizationIds?: readonly string[];
  /** How many rows to return at most: ask for one more than the page size to learn `hasNextPage`. */
  first: number;
  /** A key from `cloneOperationListKey`: rows after it. */
  after?: string | null;
}

export interface AuditPageOptions {
  outcome?: Outcome | null;
  category?: PlanCategory | null;
  /** How many rows to return at most: ask for one more than the page size to learn `hasNextPage`. */
  first: number;
  /** A key from `auditListKey`: rows after it. */
  after?: string | null;
}

/** A clone's recorded items counted per category and outcome. */
export interface CloneAuditCounts {
  /** Items recorded so far. */
  recorded: number;
  /** Items the plan has. */
  total: number;
  totals: PlanTotals;
}

interface AuditTableRow {
  ordinal: number;
  kind: string;
  category: string;
  source_id: string;
  name: string;
  outcome: string;
  reasons: string;
  new_id: string | null;
  dropped_references: string;
  omitted_fields: string;
}

/** Clone operations are listed newest first: by request time, then id, both descending. */
export function cloneOperationListKey(operation: Pick<CloneOperationRecord, 'requestedAt' | 'id'>): string {
  return JSON.stringify([operation.requestedAt, operation.id]);
}

/** Audit rows are listed in plan order. */
export function auditListKey(row: Pick<AuditRow, 'index'>): string {
  return String(row.index);
}

function parseOperationKey(key: string): [string, string] {
  let parts: unknown;
  try {
    parts = JSON.parse(key);
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((part) => typeof part === 'string')) {
    throw new ValidationError('after', 'not a cursor of this list');
  }
  return parts as [string, string];
}

function parseAuditKey(key: string): number {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(key)) throw new ValidationError('after', 'not a cursor of this list');
  return Number(key);
}

const AUDIT_COLUMNS =
  'ordinal, kind, category, source_id, name, outcome, reasons, new_id, dropped_references, omitted_fields';

function prepareStatements(db: ReadModelDb) {
  return {
    byIds: db.prepare<[string], CloneOperationRow>(
      `SELECT * FROM ${CLONE_OPERATIONS_TABLE} WHERE id IN (SELECT value FROM json_each(?))`,
    ),
  };
}

/**
 * Queries over the read-model database the clones projection writes. Statements are prepared on
 * first use: the tables exist once the projection runner (or a rebuild) has set them up.
 */
export class CloneReadModel {
  #statements: ReturnType<typeof prepareStatements> | undefined;
  readonly #filtered = new Map<string, Statement<(string | number)[], unknown>>();

  constructor(private readonly db: ReadModelDb) {}

  private get statements(): ReturnType<typeof prepareStatements> {
    return (this.#statements ??= prepareStatements(this.db));
  }

  /** Statements whose WHERE clause depends on which filters are given, one per combination. */
  private filtered<Row>(sql: string): (...parameters: (string | number)[]) => Row[] {
    let statement = this.#filtered.get(sql);
    if (!statement) this.#filtered.set(sql, (statement = this.db.prepare<(string | number)[], unknown>(sql)));
    const prepared = statement;
    return (...parameters) => prepared.all(...parameters) as Row[];
  }

  /** One entry per id, in order: the clone operation (of whichever provider), or null. */
  getCloneOperations(ids: readonly string[]): (CloneOperationRecord | null)[] {
    const rows = this.statements.byIds.all(JSON.stringify(ids));
    const byId = new Map(rows.map((row) => [row.id, toRecord(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  getCloneOperation(id: string): CloneOperationRecord | null {
    return this.getCloneOperations([id])[0] ?? null;
  }

  /** A provider's clone operations, newest first (`cloneOperationListKey` order). */
  listCloneOperations(providerId: string, options: ListCloneOperationsOptions): CloneOperationRecord[] {
    const conditions = ['provider_id = ?'];
    const parameters: (string | number)[] = [providerId];
    if (options.status !== undefined && options.status !== null) {
      conditions.push('status = ?');
      parameters.push(options.status);
    }
    if (options.sourceOrganizationId !== undefined && options.sourceOrganizationId !== null) {
      conditions.push('source_organization_id = ?');
      parameters.push(options.sourceOrganizationId);
    }
    if (options.visibleOrganizationIds) {
      const visible = JSON.stringify(options.visibleOrganizationIds);
      conditions.push(
        '(source_organization_id IN (SELECT value FROM json_each(?)) OR new_organization_id IN (SELECT value FROM json_each(?)))',
      );
      parameters.push(visible, visible);
    }
    if (options.after !== undefined && options.after !== null) {
      const [requestedAt, id] = parseOperationKey(options.after);
      conditions.push('(requested_at < ? OR (requested_at = ? AND id < ?))');
      parameters.push(requestedAt, requestedAt, id);
    }
    parameters.push(options.first);
    const rows = this.filtered<CloneOperationRow>(
      `SELECT * FROM ${CLONE_OPERATIONS_TABLE} WHERE ${conditions.join(' AND ')}
       ORDER BY requested_at DESC, id DESC LIMIT ?`,
    )(...parameters);
    return rows.map(toRecord);
  }

  /** A page of a clone's audit in plan order, optionally only one outcome and/or category. */
  auditPage(cloneId: string, options: AuditPageOptions): AuditRow[] {
    const conditions = ['clone_id = ?', 'ordinal > ?'];
    const parameters: (string | number)[] = [
      cloneId,
      options.after === undefined || options.after === null ? -1 : parseAuditKey(options.after),
    ];
    if (options.outcome !== undefined && options.outcome !== null) {
      conditions.push('outcome = ?');
      parameters.push(options.outcome);
    }
    if (options.category !== undefined && options.category !== null) {
      conditions.push('category = ?');
      parameters.push(options.category);
    }
    parameters.push(options.first);
    const rows = this.filtered<AuditTableRow>(
      `SELECT ${AUDIT_COLUMNS} FROM ${CLONE_AUDIT_TABLE} WHERE ${conditions.join(' AND ')}
       ORDER BY ordinal LIMIT ?`,
    )(...parameters);
    return rows.map(toAuditRow);
  }

  /** Recorded items per category and outcome (kept by the projection: no scan of the audit); null for an unknown clone. */
  auditCounts(cloneId: string): CloneAuditCounts | null {
    const operation = this.getCloneOperation(cloneId);
    if (!operation) return null;
    return {
      recorded: operation.progress.done,
      total: operation.progress.total,
      totals: operation.recordedTotals,
    };
  }
}

function toRecord(row: CloneOperationRow): CloneOperationRecord {
  return {
    id: row.id,
    providerId: row.provider_id,
    sourceOrganizationId: row.source_organization_id,
    newOrganizationId: row.new_organization_id,
    name: row.name,
    requestedBy: row.requested_by,
    idempotencyKey: row.idempotency_key,
    selection: JSON.parse(row.selection) as NormalizedSelection,
    status: row.status,
    phase: row.phase,
    progress: { done: row.items_done, total: row.item_count },
    attempt: row.attempt,
    requestedAt: row.requested_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    failedAt: row.failed_at,
    discardedAt: row.discarded_at,
    updatedAt: row.updated_at,
    planId: row.plan_id,
    sourceVersion: row.source_version,
    totals: JSON.parse(row.totals) as PlanTotals,
    recordedTotals: JSON.parse(row.recorded_totals) as PlanTotals,
    chainHash: row.chain_hash,
    auditDigest: row.audit_digest,
    failure:
      row.failure_reason === null
        ? null
        : { reason: row.failure_reason, resumable: row.failure_resumable === 1 },
    discarded: row.discarded_by === null ? null : { by: row.discarded_by, forced: row.discard_forced === 1 },
    version: String(row.version),
  };
}

/** Fields in `auditRowOf` order, so that a row exports and compares like the domain's. */
function toAuditRow(row: AuditTableRow): AuditRow {
  return {
    index: row.ordinal,
    kind: row.kind,
    category: row.category,
    sourceId: row.source_id,
    name: row.name,
    newId: row.new_id,
    outcome: row.outcome,
    reasons: JSON.parse(row.reasons) as string[],
    omittedFields: JSON.parse(row.omitted_fields) as string[],
    droppedReferences: JSON.parse(row.dropped_references) as DroppedReference[],
  } as AuditRow;
}
