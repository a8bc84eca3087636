/**
 * What auditors ask of a clone (SPEC §4, §7, §9): its raw history, its audit as of any event, a
 * verification that the history was not altered and that the audit read model says what the history
 * says, and an export of the audit. Every method takes the caller's provider and answers NOT_FOUND
 * for a clone of another provider, exactly as for a clone that does not exist.
 */
import type { AuditRow } from '../domain/clone/audit.js';
import { auditRowOf } from '../domain/clone/audit.js';
import type { CloneState, CloneStatus } from '../domain/clone/decider.js';
import { cloneDecider, cloneStreamId, evolveClone, initialCloneState } from '../domain/clone/decider.js';
import type { CloneEvent, CloneItemEventData } from '../domain/clone/events.js';
import { CLONE_ITEM_EVENT_TYPES } from '../domain/clone/events.js';
import type { CloneVerificationProblem } from '../domain/clone/verification.js';
import { verifyCloneHistory } from '../domain/clone/verification.js';
import { totalsOf } from '../domain/clone/totals.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { OrganizationCreated } from '../domain/organization/events.js';
import { StreamNotFoundError } from '../eventstore/errors.js';
import type { EventMetadata, EventStore, JsonValue, RecordedEvent } from '../eventstore/types.js';
import type { CloneOperationRecord, CloneReadModel } from '../projections/clones/queries.js';
import { auditListKey } from '../projections/clones/queries.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { loadAggregate } from './command-handler.js';
import { organizationStreamId } from './streams.js';

/** Most events one `history` call returns. */
export const MAX_HISTORY_PAGE = 1_000;
/** Audit rows read from the read model per step of an export or a verification. */
const AUDIT_CHUNK_ROWS = 1_000;

export interface CloneHistoryEvent {
  /** Revision in the clone stream, from 0. */
  version: bigint;
  /** Position in `$all`. */
  position: bigint;
  id: string;
  type: string;
  /** When the store committed it (the writer's own time is `metadata.recordedAt`). */
  time: Date;
  data: JsonValue;
  metadata: EventMetadata;
}

export interface CloneHistoryOptions {
  /** First revision to return (inclusive); 0 when omitted. */
  fromVersion?: bigint;
  /** How many events, 1 to `MAX_HISTORY_PAGE`: ask one more than the page to learn `hasNextPage`. */
  first: number;
}

export interface CloneAuditAsOf {
  /** Revision of the event the audit is folded up to. */
  version: bigint;
  status: CloneStatus;
  rows: AuditRow[];
}

/**
 * What a verification found wrong first: the domain's history problems, or a disagreement of the
 * read model with a history that is itself intact.
 * - `READ_MODEL_MISSING`: the read model has no operation for the clone.
 * - `READ_MODEL_ROW_MISMATCH`: the audit row of an item event differs from the event, or is missing.
 * - `READ_MODEL_ROW_UNEXPECTED`: an audit row that no event up to the read model's version records.
 * - `READ_MODEL_OPERATION_MISMATCH`: the operation row differs from the history folded up to its version.
 */
export type CloneAuditProblem =
  | CloneVerificationProblem
  | 'READ_MODEL_MISSING'
  | 'READ_MODEL_ROW_MISMATCH'
  | 'READ_MODEL_ROW_UNEXPECTED'
  | 'READ_MODEL_OPERATION_MISMATCH';

export interface CloneAuditMismatch {
  /** Revision of the event that does not match. */
  version: bigint;
  eventId: string;
  type: string;
  problem: CloneAuditProblem;
  /** For the audit-row problems: the plan index of the row. */
  ordinal?: number;
  /** For `READ_MODEL_OPERATION_MISMATCH`: the first field of the operation that differs. */
  field?: string;
}

export interface CloneAuditVerification {
  ok: boolean;
  /** Events of the clone stream read and checked. */
  eventsChecked: number;
  /** Revision the read model reflects (it may trail the stream: later events are not compared with it). */
  readModelVersion: bigint | null;
  firstMismatch?: CloneAuditMismatch;
}

export type AuditExportFormat = 'json' | 'csv';

export const AUDIT_CSV_COLUMNS = [
  'index',
  'kind',
  'category',
  'sourceId',
  'name',
  'newId',
  'outcome',
  'reasons',
  'omittedFields',
  'droppedReferences',
] as const;

export interface CloneAuditServiceOptions {
  store: EventStore;
  readModel: CloneReadModel;
}

const ITEM_EVENT_TYPES: ReadonlySet<string> = new Set(CLONE_ITEM_EVENT_TYPES);

export class CloneAuditService {
  private readonly store: EventStore;
  private readonly readModel: CloneReadModel;

  constructor(options: CloneAuditServiceOptions) {
    this.store = options.store;
    this.readModel = options.readModel;
  }

  /** The clone stream's events from `fromVersion`, in order, as stored. */
  async history(
    providerId: string,
    cloneId: string,
    options: CloneHistoryOptions,
  ): Promise<CloneHistoryEvent[]> {
    const { fromVersion = 0n, first } = options;
    if (fromVersion < 0n) throw new ValidationError('fromVersion', 'must be 0 or more');
    if (!Number.isInteger(first) || first < 1 || first > MAX_HISTORY_PAGE) {
      throw new ValidationError('first', `must be between 1 and ${MAX_HISTORY_PAGE}`);
    }
    await this.requireClone(providerId, cloneId);
    const events: CloneHistoryEvent[] = [];
    for await (const event of this.store.readStream(cloneStreamId(cloneId), {
      fromRevision: fromVersion,
      maxCount: first,
    })) {
      events.push({
        version: event.revision,
        position: event.position,
        id: event.id,
        type: event.type,
        time: event.created,
        data: event.data,
        metadata: event.metadata,
      });
    }
    return events;
  }

  /** The audit the clone had right after the event at `version`, folded from the stream with the domain's `evolve`. */
  async auditAsOf(providerId: string, cloneId: string, version: bigint): Promise<CloneAuditAsOf> {
    if (version < 0n) throw new ValidationError('version', 'must be 0 or more');
    await this.requireClone(providerId, cloneId);
    const { state, revision } = await loadAggregate(this.store, cloneStreamId(cloneId), cloneDecider, {
      upToRevision: version,
    });
    if (revision !== version) throw new NotFoundError('clone event', version.toString(), 'version');
    return { version, status: state.status, rows: state.audit.rows() };
  }

  /**
   * Re-folds the clone stream from scratch: checks every chain hash and what `CloneCompleted`
   * records (`verifyCloneHistory`), and compares the read model, row by row, with the events up to
   * the version it reflects. Names the first event that does not match.
   */
  async verify(providerId: string, cloneId: string): Promise<CloneAuditVerification> {
    await this.requireClone(providerId, cloneId);
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readStream(cloneStreamId(cloneId))) events.push(event);

    const history = verifyCloneHistory(events);
    const intact = history.valid ? events.length : history.index;
    // Synchronous from here: the read model cannot move while it is compared.
    const operation = this.readModel.getCloneOperation(cloneId);
    const readModelVersion = operation === null ? null : BigInt(operation.version);
    const firstMismatch =
      this.compareReadModel(cloneId, operation, events, intact) ??
      (history.valid ? null : mismatch(events[history.index]!, history.problem));
    if (firstMismatch === null) return { ok: true, eventsChecked: events.length, readModelVersion };
    const eventsChecked = Number(firstMismatch.version) + 1;
    return { ok: false, eventsChecked, readModelVersion, firstMismatch };
  }

  /**
   * The audit as recorded in the read model, as JSON (`{"clone": …, "rows": [...]}`) or CSV
   * (`AUDIT_CSV_COLUMNS`, RFC 4180 quoting, CRLF). Checks the clone first, then streams text chunks
   * of at most `AUDIT_CHUNK_ROWS` rows, never holding the whole audit. The export holds the rows
   * recorded when it started, so that its rows and its `clone` header agree.
   */
  async exportAudit(
    providerId: string,
    cloneId: string,
    format: AuditExportFormat,
  ): Promise<AsyncIterable<string>> {
    if (format !== 'json' && format !== 'csv') throw new ValidationError('format', 'must be json or csv');
    await this.requireClone(providerId, cloneId);
    const operation = this.readModel.getCloneOperation(cloneId);
    if (!operation) throw new NotFoundError('clone', cloneId);
    return format === 'json' ? this.jsonExport(operation) : this.csvExport(operation);
  }

  private async *jsonExport(operation: CloneOperationRecord): AsyncIterable<string> {
    yield `{"clone":${JSON.stringify(operation)},"rows":[`;
    let separator = '\n';
    for (const rows of this.recordedRows(operation)) {
      let chunk = '';
      for (const row of rows) {
        chunk += separator + JSON.stringify(row);
        separator = ',\n';
      }
      yield chunk;
    }
    yield '\n]}\n';
  }

  private async *csvExport(operation: CloneOperationRecord): AsyncIterable<string> {
    yield csvLine(AUDIT_CSV_COLUMNS);
    for (const rows of this.recordedRows(operation)) {
      let chunk = '';
      for (const row of rows) {
        chunk += csvLine([
          String(row.index),
          row.kind,
          row.category,
          row.sourceId,
          row.name,
          row.newId ?? '',
          row.outcome,
          JSON.stringify(row.reasons),
          JSON.stringify(row.omittedFields),
          JSON.stringify(row.droppedReferences),
        ]);
      }
      yield chunk;
    }
  }

  /** The first `progress.done` rows of the audit, a chunk at a time. */
  private *recordedRows(operation: CloneOperationRecord): Generator<AuditRow[]> {
    let remaining = operation.progress.done;
    let after: string | null = null;
    while (remaining > 0) {
      const rows = this.readModel.auditPage(operation.id, {
        first: Math.min(remaining, AUDIT_CHUNK_ROWS),
        after,
      });
      if (rows.length === 0) return;
      remaining -= rows.length;
      after = auditListKey(rows.at(-1)!);
      yield rows;
    }
  }

  /**
   * The first of the `intact` first events (those the history check accepts) whose effect on the
   * read model is not what the read model holds; null when the read model agrees with all of those
   * up to the version it reflects.
   */
  private compareReadModel(
    cloneId: string,
    operation: CloneOperationRecord | null,
    events: readonly RecordedEvent[],
    intact: number,
  ): CloneAuditMismatch | null {
    if (intact === 0) return null;
    if (operation === null) return mismatch(events[0]!, 'READ_MODEL_MISSING');
    const readModelVersion = BigInt(operation.version);
    const rows = new AuditRowCursor(this.readModel, cloneId);
    let state = initialCloneState();
    let last: RecordedEvent | null = null;
    for (const event of events.slice(0, intact)) {
      if (event.revision > readModelVersion) break;
      if (ITEM_EVENT_TYPES.has(event.type)) {
        const expected = auditRowOf(event.data as unknown as CloneItemEventData);
        const actual = rows.next();
        if (actual === null || canonicalJson(actual) !== canonicalJson(expected)) {
          return { ...mismatch(event, 'READ_MODEL_ROW_MISMATCH'), ordinal: expected.index };
        }
      }
      state = evolveClone(state, { type: event.type, data: event.data as unknown } as CloneEvent);
      last = event;
    }
    if (last === null || last.revision !== readModelVersion) {
      // Stopped at an event the history check refuses: that is the problem to report.
      if (intact < events.length) return null;
      // The read model claims events the stream does not have.
      return { ...mismatch(events.at(-1)!, 'READ_MODEL_OPERATION_MISMATCH'), field: 'version' };
    }
    const unexpected = rows.next();
    if (unexpected !== null) {
      return { ...mismatch(last, 'READ_MODEL_ROW_UNEXPECTED'), ordinal: unexpected.index };
    }
    const field = firstOperationDifference(operation, state);
    return field === null ? null : { ...mismatch(last, 'READ_MODEL_OPERATION_MISMATCH'), field };
  }

  /**
   * The clone exists and belongs to `providerId`, according to the log: its `CloneRequested` names
   * the source organization, whose `OrganizationCreated` names the provider.
   */
  private async requireClone(providerId: string, cloneId: string): Promise<void> {
    const requested = await this.firstEvent(cloneStreamId(cloneId));
    const notFound = new NotFoundError('clone', cloneId);
    if (requested?.type !== 'CloneRequested') throw notFound;
    const { sourceOrganizationId } = requested.data as { sourceOrganizationId?: unknown };
    if (typeof sourceOrganizationId !== 'string') throw notFound;
    const created = await this.firstEvent(organizationStreamId(sourceOrganizationId));
    if (created?.type !== 'OrganizationCreated') throw notFound;
    if ((created.data as unknown as OrganizationCreated['data']).providerId !== providerId) throw notFound;
  }

  private async firstEvent(streamId: string): Promise<RecordedEvent | null> {
    try {
      for await (const event of this.store.readStream(streamId, { maxCount: 1 })) return event;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
    return null;
  }
}

function mismatch(event: RecordedEvent, problem: CloneAuditProblem): CloneAuditMismatch {
  return { version: event.revision, eventId: event.id, type: event.type, problem };
}

/** Reads a clone's audit rows in plan order, a chunk at a time. */
class AuditRowCursor {
  private buffer: AuditRow[] = [];
  private offset = 0;
  private after: string | null = null;
  private exhausted = false;

  constructor(
    private readonly readModel: CloneReadModel,
    private readonly cloneId: string,
  ) {}

  next(): AuditRow | null {
    if (this.offset === this.buffer.length && !this.exhausted) {
      this.buffer = this.readModel.auditPage(this.cloneId, { first: AUDIT_CHUNK_ROWS, after: this.after });
      this.offset = 0;
      this.exhausted = this.buffer.length < AUDIT_CHUNK_ROWS;
      if (this.buffer.length > 0) this.after = auditListKey(this.buffer.at(-1)!);
    }
    return this.offset < this.buffer.length ? this.buffer[this.offset++]! : null;
  }
}

/** The first field of the operation row that is not what the folded history gives; null when none. */
function firstOperationDifference(operation: CloneOperationRecord, state: CloneState): string | null {
  const rows = state.audit.rows();
  const expected: Record<string, unknown> = {
    status: state.status,
    sourceOrganizationId: state.sourceOrganizationId,
    newOrganizationId: state.newOrganizationId,
    name: state.name,
    requestedBy: state.requestedBy,
    idempotencyKey: state.idempotencyKey,
    selection: state.selection,
    planId: state.planId,
    sourceVersion: state.sourceVersion,
    progress: { done: state.audit.length, total: state.itemCount },
    attempt: state.attempts,
    totals: state.completion?.totals ?? state.plannedTotals,
    recordedTotals: totalsOf(rows),
    chainHash: state.chainHash,
    auditDigest: state.completion?.auditDigest ?? null,
    failure: state.failure,
    discarded: state.discarded,
  };
  const actual = operation as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(expected)) {
    if (canonicalJson(actual[field]) !== canonicalJson(value)) return field;
  }
  return null;
}

/** One CSV record (RFC 4180), each field quoted when it holds a quote, comma or line break. */
function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * A field quoted when needed. A field that a spreadsheet would run as a formula (it starts with
 * `=`, `+`, `-`, `@`, tab or carriage return: names come from the tenant) gets a leading `'`, as
 * OWASP advises for CSV meant for spreadsheets; the JSON export keeps the exact text.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
