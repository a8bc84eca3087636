import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { OrgcloneError } from '../../shared/errors.js';
import {
  AppendTooLargeError,
  DuplicateEventIdError,
  EventStoreFullError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors.js';
import { SubscriptionQueue } from '../subscription-queue.js';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
  Subscription,
} from '../types.js';

/**
 * The embedded event store: one SQLite file (WAL, `synchronous=FULL`) that several processes may
 * share. The global position is the table's rowid: appends are serialized by SQLite's write lock
 * (`BEGIN IMMEDIATE`), so positions are assigned in commit order and a reader that has seen position
 * p can never later find a new event below p — which is what lets subscriptions resume with
 * `position > checkpoint` and poll other processes' commits with `max(position)`.
 *
 * Event ids are unique per stream, as in EventStoreDB (which does not enforce them across streams
 * either): a global unique index on random UUIDs touches about one index page per event and made
 * batched appends ~4× slower, while `(stream_id, event_id)` keeps a batch's index entries together.
 */

export interface SqliteEventStoreOptions {
  /** The database file; created with its schema when missing. */
  path: string;
  /** Cap of one append: UTF-8 bytes of each event's type, JSON data and JSON metadata. */
  maxAppendBytes?: number;
  /** How often live subscriptions look for commits made by other processes. */
  pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** The file was written by a newer orgclone whose schema this version does not know. */
export class EventStoreSchemaTooNewError extends OrgcloneError {
  readonly code = 'EVENT_STORE_SCHEMA_TOO_NEW';
  constructor(
    readonly path: string,
    readonly version: number,
    readonly supportedVersion: number,
  ) {
    super(
      `event store ${path} has schema version ${version}; this version supports up to ${supportedVersion}`,
    );
  }
}

export async function openSqliteEventStore(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
  return new SqliteEventStore(options);
}

const SCHEMA_VERSION = 1;
const DEFAULT_MAX_APPEND_BYTES = 1_048_576;
const DEFAULT_POLL_INTERVAL_MS = 20;
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** Rows per read query: reading a long history never holds more than a page in memory. */
const PAGE_SIZE = 500;
/** Rows a filtered `$all` subscription scans per query, so sparse filters neither block nor starve. */
const FILTER_SCAN_WINDOW = 10_000n;
/** A subscription pauses paging history while its consumer has this many messages unread. */
const BACKLOG_HIGH_WATER = PAGE_SIZE;
const BACKLOG_PAUSE_MS = 2;
/**
 * Rows per INSERT statement. One multi-row statement costs ~20% less CPU per row than a statement per
 * row (fewer native calls, stream id and time bound once), measured on the 500-event batches of
 * `bench/eventstore.ts`; beyond 100 rows the gain flattens.
 */
const INSERT_CHUNK_ROWS = 100;
const INSERT_PARAMS_PER_ROW = 4;
const MAX_POSITION = 9_223_372_036_854_775_807n;
/** SQLite's default and largest `max_page_count`. */
const MAX_PAGE_COUNT = 4_294_967_294;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream_revision ON events (stream_id, revision);
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream_event_id ON events (stream_id, event_id);
`;

const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created';

type EventRow = [
  position: bigint,
  streamId: string,
  revision: bigint,
  id: string,
  type: string,
  data: string,
  metadata: string,
  created: bigint,
];

/**
 * An append serialized before the write lock is taken: its ids, and the insert parameters per chunk
 * of up to INSERT_CHUNK_ROWS rows (id, type, data, metadata for each row).
 */
interface PendingAppend {
  ids: string[];
  chunks: string[][];
}

/** Parameters an insert binds once for all its rows; `revision` is that of the statement's first row. */
interface InsertShared {
  streamId: string;
  revision: number;
  created: number;
}

interface StreamHead {
  revision: bigint;
  position: bigint;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: row[0],
    streamId: row[1],
    revision: row[2],
    id: row[3],
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
    created: new Date(Number(row[7])),
  };
}

function matchesExpectation(expected: ExpectedRevision, current: bigint | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === null;
  if (expected === 'stream_exists') return current !== null;
  return current === expected;
}

function checkMaxCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return maxCount;
}

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly maxAppendBytes: number;
  private readonly pollIntervalMs: number;

  private readonly selectStreamHead: Statement<[string], [bigint, bigint]>;
  private readonly selectHeadPosition: Statement<[], bigint | null>;
  /** By row count: INSERT_CHUNK_ROWS for full chunks, and whatever sizes the last chunks have. */
  private readonly insertStatements = new Map<number, Statement<[string[], InsertShared]>>();
  private readonly selectCommittedId: Statement<[string, string], [bigint, bigint]>;
  private readonly selectStreamForwards: Statement<[string, bigint, number], EventRow>;
  private readonly selectStreamBackwards: Statement<[string, bigint, number], EventRow>;
  private readonly selectStreamRange: Statement<[string, bigint, bigint, number], EventRow>;
  private readonly selectAllForwards: Statement<[bigint, number], EventRow>;
  private readonly selectAllBackwards: Statement<[bigint, number], EventRow>;
  private readonly selectAllRange: Statement<[bigint, bigint, number], EventRow>;
  private readonly filteredStatements = new Map<string, Statement<[Record<string, unknown>], EventRow>>();

  private readonly appendTransaction: Database.Transaction<
    (streamId: string, pending: PendingAppend, expected: ExpectedRevision) => AppendResult
  >;
  private readonly resendTransaction: Database.Transaction<
    (streamId: string, pending: PendingAppend, expected: ExpectedRevision) => AppendResult
  >;

  private readonly subscriptions = new Set<CatchUpSubscription>();
  private pollTimer: NodeJS.Timeout | null = null;
  private observedHead: bigint | null = null;
  private closed = false;

  constructor(options: SqliteEventStoreOptions) {
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.db = new Database(options.path);
    try {
      // busy_timeout first: switching to WAL and creating the schema may wait for another process.
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.migrate(options.path);
    } catch (error) {
      this.db.close();
      throw error;
    }

    // Rows as arrays (cheaper than objects), integers as bigint (positions and revisions are bigint).
    const prepare = <Params extends unknown[], Row>(sql: string): Statement<Params, Row> =>
      this.db.prepare<Params, Row>(sql).safeIntegers(true).raw(true);
    this.selectStreamHead = prepare(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    );
    this.selectHeadPosition = this.db.prepare<[], bigint | null>('SELECT max(position) FROM events').pluck();
    this.selectHeadPosition.safeIntegers(true);
    this.selectCommittedId = prepare(
      'SELECT revision, position FROM events WHERE stream_id = ? AND event_id = ?',
    );
    this.selectStreamForwards = prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.selectStreamBackwards = prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    );
    this.selectStreamRange = prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? AND revision <= ?
       ORDER BY revision LIMIT ?`,
    );
    this.selectAllForwards = prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
    this.selectAllBackwards = prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`,
    );
    this.selectAllRange = prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    );

    this.appendTransaction = this.db.transaction(
      (streamId: string, pending: PendingAppend, expected: ExpectedRevision) => {
        const current = this.streamHead(streamId)?.revision ?? null;
        if (matchesExpectation(expected, current)) return this.insertRows(streamId, pending, current);
        const resend = this.findResend(streamId, pending.ids, expected, current);
        if (resend) return resend;
        throw new WrongExpectedVersionError(streamId, expected, current ?? 'no_stream');
      },
    );
    // Runs after an insert hit the (stream_id, event_id) index: the batch may be an exact resend.
    this.resendTransaction = this.db.transaction(
      (streamId: string, pending: PendingAppend, expected: ExpectedRevision) => {
        const current = this.streamHead(streamId)?.revision ?? null;
        const resend = this.findResend(streamId, pending.ids, expected, current);
        if (resend) return resend;
        const seen = new Set<string>();
        for (const id of pending.ids) {
          if (seen.has(id)) throw new DuplicateEventIdError(streamId, id);
          seen.add(id);
        }
        if (!matchesExpectation(expected, current)) {
          throw new WrongExpectedVersionError(streamId, expected, current ?? 'no_stream');
        }
        return this.insertRows(streamId, pending, current);
      },
    );
  }

  async appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    const pending = this.serialize(streamId, events);
    let result: AppendResult;
    try {
      try {
        result = this.appendTransaction.immediate(streamId, pending, expected);
      } catch (error) {
        if (!isEventIdConflict(error)) throw error;
        result = this.resendTransaction.immediate(streamId, pending, expected);
      }
    } catch (error) {
      // SQLite has rolled the transaction back: nothing of the append is written.
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_FULL') {
        throw new EventStoreFullError(streamId, { cause: error });
      }
      throw error;
    }
    this.notify(streamId);
    return result;
  }

  /**
   * Caps the file at `pages` pages (of `PRAGMA page_size` bytes) for this store's own writes, as a
   * full disk would; null lifts the cap. Appends that need more room fail with `EventStoreFullError`.
   * For tests: SQLite's `max_page_count` holds per connection only, so it must be set on this one.
   * Returns the cap in effect, which is never below the file's current size.
   */
  setMaxPageCount(pages: number | null): number {
    const cap = pages ?? MAX_PAGE_COUNT;
    if (!Number.isInteger(cap) || cap < 1)
      throw new RangeError(`pages must be a positive integer, got ${pages}`);
    return this.db.pragma(`max_page_count = ${cap}`, { simple: true }) as number;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = checkMaxCount(options.maxCount);
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    let cursor: bigint;
    if (from === 'start') {
      cursor = 0n;
    } else if (from === 'end') {
      // Forwards from the end is after the last event, as in EventStoreDB: nothing to read.
      cursor = backwards ? MAX_POSITION : (this.streamHead(streamId)?.revision ?? -1n) + 1n;
    } else {
      cursor = from;
    }

    for (let first = true; ; first = false) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows =
        limit === 0
          ? []
          : backwards
            ? this.selectStreamBackwards.all(streamId, cursor, limit)
            : this.selectStreamForwards.all(streamId, cursor, limit);
      if (first && rows.length === 0 && this.streamHead(streamId) === null) {
        throw new StreamNotFoundError(streamId);
      }
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      if (rows.length < limit || remaining === 0) return;
      const last = rows[rows.length - 1]![2];
      cursor = backwards ? last - 1n : last + 1n;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = checkMaxCount(options.maxCount);
    let cursor = options.after ?? (backwards ? MAX_POSITION : 0n);
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = backwards
        ? this.selectAllBackwards.all(cursor, limit)
        : this.selectAllForwards.all(cursor, limit);
      for (const row of rows) yield toRecordedEvent(row);
      remaining -= rows.length;
      if (rows.length < limit) return;
      cursor = rows[rows.length - 1]![0];
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    return this.startSubscription(() => {
      const filter = options.filter ? this.filteredPageReader(options.filter) : null;
      return new AllSubscription(this.internals, options.after, filter);
    });
  }

  subscribeToStream(streamId: string, options: SubscribeToStreamOptions = {}): Subscription {
    return this.startSubscription(() => new StreamSubscription(this.internals, streamId, options.after));
  }

  async headPosition(): Promise<bigint | null> {
    return this.selectHeadPosition.get() ?? null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.queue.unsubscribe()));
    this.db.close();
  }

  /** What subscriptions read through: kept narrow so they never touch the write path. */
  private readonly internals: SubscriptionSource = {
    headPosition: () => this.selectHeadPosition.get() ?? null,
    streamHead: (streamId) => this.streamHead(streamId),
    allPage: (after, until) =>
      until === null
        ? this.selectAllForwards.all(after, PAGE_SIZE)
        : this.selectAllRange.all(after, until, PAGE_SIZE),
    streamPage: (streamId, after, until) =>
      this.selectStreamRange.all(streamId, after + 1n, until ?? MAX_POSITION, PAGE_SIZE),
    unregister: (subscription) => {
      this.subscriptions.delete(subscription);
      if (this.subscriptions.size === 0) this.stopPolling();
    },
  };

  private migrate(path: string): void {
    this.db
      .transaction(() => {
        this.db.exec(SCHEMA);
        const version =
          this.db.prepare<[], number>('SELECT max(version) FROM schema_version').pluck().get() ?? null;
        if (version === null) {
          this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
        } else if (version > SCHEMA_VERSION) {
          throw new EventStoreSchemaTooNewError(path, version, SCHEMA_VERSION);
        }
      })
      .immediate();
  }

  private serialize(streamId: string, events: readonly EventData[]): PendingAppend {
    const ids = new Array<string>(events.length);
    const chunks: string[][] = [];
    let chunk: string[] = [];
    // UTF-16 length × 3 bounds the UTF-8 size, so the exact count is only needed near the cap.
    let sizeBound = 0;
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      if (!UUID.test(event.id)) throw new RangeError(`event id ${event.id} is not a UUID`);
      const id = event.id.toLowerCase();
      const data = JSON.stringify(event.data);
      const metadata = event.metadata === undefined ? '{}' : JSON.stringify(event.metadata);
      sizeBound += (event.type.length + data.length + metadata.length) * 3;
      ids[index] = id;
      if (chunk.length === INSERT_CHUNK_ROWS * INSERT_PARAMS_PER_ROW) {
        chunks.push(chunk);
        chunk = [];
      }
      chunk.push(id, event.type, data, metadata);
    }
    chunks.push(chunk);
    if (sizeBound > this.maxAppendBytes) {
      let size = 0;
      for (const params of chunks) {
        for (let index = 1; index < params.length; index += INSERT_PARAMS_PER_ROW) {
          size += Buffer.byteLength(params[index]!) + Buffer.byteLength(params[index + 1]!);
          size += Buffer.byteLength(params[index + 2]!);
        }
      }
      if (size > this.maxAppendBytes) throw new AppendTooLargeError(streamId, size, this.maxAppendBytes);
    }
    return { ids, chunks };
  }

  private streamHead(streamId: string): StreamHead | null {
    const row = this.selectStreamHead.get(streamId);
    return row ? { revision: row[0], position: row[1] } : null;
  }

  private insertRows(streamId: string, pending: PendingAppend, current: bigint | null): AppendResult {
    const first = current === null ? 0 : Number(current) + 1;
    const shared: InsertShared = { streamId, revision: first, created: Date.now() };
    let position = 0n;
    for (const params of pending.chunks) {
      const rows = params.length / INSERT_PARAMS_PER_ROW;
      position = this.insertStatement(rows).run(params, shared).lastInsertRowid as bigint;
      shared.revision += rows;
    }
    return { nextExpectedRevision: BigInt(first + pending.ids.length - 1), position };
  }

  private insertStatement(rows: number): Statement<[string[], InsertShared]> {
    let statement = this.insertStatements.get(rows);
    if (!statement) {
      const values = Array.from(
        { length: rows },
        (_, row) => `(@streamId, @revision + ${row}, ?, ?, ?, ?, @created)`,
      );
      statement = this.db.prepare<[string[], InsertShared]>(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES ${values.join(', ')}`,
      );
      statement.safeIntegers(true);
      this.insertStatements.set(rows, statement);
    }
    return statement;
  }

  /**
   * An append whose ids are already committed is a no-op success when it is exactly the committed
   * batch: the same ids in the same order, right after the expected revision (for `any` and
   * `stream_exists`: the stream's last events). Any other overlap is refused. Null: no id committed.
   */
  private findResend(
    streamId: string,
    ids: string[],
    expected: ExpectedRevision,
    current: bigint | null,
  ): AppendResult | null {
    let firstCommitted: string | null = null;
    let exact = true;
    let start = 0n;
    let last: StreamHead | null = null;
    for (let index = 0; index < ids.length; index++) {
      const committed = this.selectCommittedId.get(streamId, ids[index]!);
      if (!committed) {
        exact = false;
        continue;
      }
      firstCommitted ??= ids[index]!;
      if (index === 0) start = committed[0];
      else if (committed[0] !== start + BigInt(index)) exact = false;
      last = { revision: committed[0], position: committed[1] };
    }
    if (firstCommitted === null) return null;
    if (exact && last !== null) {
      const resent =
        expected === 'no_stream'
          ? start === 0n
          : typeof expected === 'bigint'
            ? start === expected + 1n
            : last.revision === current;
      if (resent) return { nextExpectedRevision: last.revision, position: last.position };
    }
    throw new DuplicateEventIdError(streamId, firstCommitted);
  }

  private filteredPageReader(filter: AllFilter): FilteredPageReader {
    let condition: string;
    const values: Record<string, string> = {};
    if ('streamPrefixes' in filter) {
      if (filter.streamPrefixes.length === 0) throw new RangeError('streamPrefixes must not be empty');
      condition = filter.streamPrefixes
        .map((prefix, index) => {
          values[`p${index}`] = prefix;
          return `instr(stream_id, @p${index}) = 1`;
        })
        .join(' OR ');
    } else {
      if (filter.eventTypes.length === 0) throw new RangeError('eventTypes must not be empty');
      condition = `type IN (${filter.eventTypes
        .map((type, index) => {
          values[`t${index}`] = type;
          return `@t${index}`;
        })
        .join(', ')})`;
    }
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > @after AND position <= @until AND (${condition})
                 ORDER BY position LIMIT ${PAGE_SIZE}`;
    let statement = this.filteredStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<[Record<string, unknown>], EventRow>(sql).safeIntegers(true).raw(true);
      this.filteredStatements.set(sql, statement);
    }
    const prepared = statement;
    return (after, until) => prepared.all({ ...values, after, until });
  }

  private startSubscription(create: () => CatchUpSubscription): Subscription {
    if (this.closed) throw new Error('the event store is closed');
    const subscription = create();
    this.subscriptions.add(subscription);
    this.startPolling();
    subscription.start();
    return subscription.queue;
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.observedHead = this.selectHeadPosition.get() ?? null;
    this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
  }

  private stopPolling(): void {
    if (!this.pollTimer) return;
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /**
   * Other processes' commits are only visible in the file. Our own commits also move the head, so
   * they cause one redundant wake-up here; skipping them would be wrong, since another process may
   * have committed just before us.
   */
  private poll(): void {
    let head: bigint | null;
    try {
      head = this.selectHeadPosition.get() ?? null;
    } catch (error) {
      for (const subscription of this.subscriptions) subscription.queue.fail(error);
      return;
    }
    if (head === this.observedHead) return;
    this.observedHead = head;
    this.notify(undefined);
  }

  private notify(streamId: string | undefined): void {
    for (const subscription of this.subscriptions) subscription.notify(streamId);
  }
}

function isEventIdConflict(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('events.event_id')
  );
}

type FilteredPageReader = (after: bigint, until: bigint) => EventRow[];

interface SubscriptionSource {
  headPosition(): bigint | null;
  streamHead(streamId: string): StreamHead | null;
  /** Up to a page of `$all` after `after`, up to `until` inclusive when not null. */
  allPage(after: bigint, until: bigint | null): EventRow[];
  /** Up to a page of the stream after revision `after`, up to `until` inclusive when not null. */
  streamPage(streamId: string, after: bigint, until: bigint | null): EventRow[];
  unregister(subscription: CatchUpSubscription): void;
}

/**
 * History up to what was committed when the subscription started, one `caughtUp`, then live events
 * whenever the store signals a commit (its own appends at once, other processes' via polling). The
 * subscription registers before it looks at the head, so a commit racing the start still wakes it;
 * reading strictly after its cursor is what prevents gaps and duplicates.
 */
abstract class CatchUpSubscription {
  readonly queue = new SubscriptionQueue(() => this.stop());
  private stopped = false;
  private pending = true;
  private wakeUp: (() => void) | null = null;

  constructor(protected readonly source: SubscriptionSource) {}

  /** Moves the cursor to the start and returns the bound of the history to deliver before `caughtUp`. */
  protected abstract begin(): bigint | null;
  /** Delivers the next page (up to `until` when not null); false when nothing more is available. */
  protected abstract deliverPage(until: bigint | null): boolean;
  protected abstract caughtUpPosition(): bigint | null;
  protected abstract concerns(streamId: string | undefined): boolean;

  start(): void {
    void this.run();
  }

  notify(streamId: string | undefined): void {
    if (!this.concerns(streamId)) return;
    this.pending = true;
    this.wake();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.source.unregister(this);
    this.wake();
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    wakeUp?.();
  }

  private async run(): Promise<void> {
    try {
      const historyEnd = this.begin();
      if (historyEnd !== null) await this.deliverAvailable(historyEnd);
      if (this.stopped) return;
      this.queue.push({ kind: 'caughtUp', position: this.caughtUpPosition() });
      for (;;) {
        while (!this.pending && !this.stopped) await new Promise<void>((resolve) => (this.wakeUp = resolve));
        if (this.stopped) return;
        this.pending = false;
        await this.deliverAvailable(null);
      }
    } catch (error) {
      this.queue.fail(error);
    }
  }

  /**
   * Pages until nothing more is available. Between pages it yields to the event loop (a long history
   * must not starve I/O) and pauses while the consumer has a page or more unread (backpressure).
   */
  private async deliverAvailable(until: bigint | null): Promise<void> {
    for (;;) {
      await yieldToEventLoop();
      while (!this.stopped && this.queue.backlog >= BACKLOG_HIGH_WATER) await sleep(BACKLOG_PAUSE_MS);
      if (this.stopped || !this.deliverPage(until)) return;
    }
  }
}

class AllSubscription extends CatchUpSubscription {
  /** Everything up to this `$all` position has been delivered or filtered out. */
  private cursor = 0n;
  private lastDelivered = 0n;

  constructor(
    source: SubscriptionSource,
    private readonly after: bigint | 'end' | undefined,
    private readonly filtered: FilteredPageReader | null,
  ) {
    super(source);
  }

  protected begin(): bigint | null {
    const head = this.source.headPosition();
    this.cursor = this.after === 'end' ? (head ?? 0n) : (this.after ?? 0n);
    this.lastDelivered = this.cursor;
    return head !== null && head > this.cursor ? head : null;
  }

  protected caughtUpPosition(): bigint | null {
    return this.cursor === 0n ? null : this.cursor;
  }

  protected concerns(): boolean {
    return true;
  }

  protected deliverPage(until: bigint | null): boolean {
    if (this.filtered) return this.deliverFilteredWindow(this.filtered, until);
    const rows = this.source.allPage(this.cursor, until);
    this.deliver(rows);
    return rows.length === PAGE_SIZE;
  }

  /**
   * Scans a bounded window of `$all`; a `checkpoint` then tells the consumer the window held nothing
   * more for it, so it can store a position past events it never sees.
   */
  private deliverFilteredWindow(read: FilteredPageReader, until: bigint | null): boolean {
    const head = until ?? this.source.headPosition();
    if (head === null || head <= this.cursor) return false;
    const windowEnd = head - this.cursor > FILTER_SCAN_WINDOW ? this.cursor + FILTER_SCAN_WINDOW : head;
    const rows = read(this.cursor, windowEnd);
    this.deliver(rows);
    if (rows.length === PAGE_SIZE) return true;
    this.cursor = windowEnd;
    if (windowEnd > this.lastDelivered) this.queue.push({ kind: 'checkpoint', position: windowEnd });
    return windowEnd < head;
  }

  private deliver(rows: EventRow[]): void {
    for (const row of rows) this.queue.push({ kind: 'event', event: toRecordedEvent(row) });
    if (rows.length > 0) {
      this.cursor = rows[rows.length - 1]![0];
      this.lastDelivered = this.cursor;
    }
  }
}

class StreamSubscription extends CatchUpSubscription {
  /** Last revision delivered (-1: none). */
  private cursor = -1n;
  private lastPosition: bigint | null = null;

  constructor(
    source: SubscriptionSource,
    private readonly streamId: string,
    private readonly after: bigint | 'end' | undefined,
  ) {
    super(source);
  }

  protected begin(): bigint | null {
    const head = this.source.streamHead(this.streamId);
    this.lastPosition = head?.position ?? null;
    this.cursor = this.after === 'end' ? (head?.revision ?? -1n) : (this.after ?? -1n);
    return head !== null && head.revision > this.cursor ? head.revision : null;
  }

  protected caughtUpPosition(): bigint | null {
    return this.lastPosition;
  }

  protected concerns(streamId: string | undefined): boolean {
    return streamId === undefined || streamId === this.streamId;
  }

  protected deliverPage(until: bigint | null): boolean {
    const rows = this.source.streamPage(this.streamId, this.cursor, until);
    for (const row of rows) this.queue.push({ kind: 'event', event: toRecordedEvent(row) });
    if (rows.length > 0) this.cursor = rows[rows.length - 1]![2];
    return rows.length === PAGE_SIZE;
  }
}
