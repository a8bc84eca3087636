import Database from 'better-sqlite3';

export type ReadModelDb = Database.Database;

/** Where a projection stopped: the `$all` position it has applied up to, and its code version. */
export interface ProjectionCheckpoint {
  /** Null before the first event (the projection starts at the beginning of `$all`). */
  position: bigint | null;
  version: number;
}

const CHECKPOINT_TABLE = 'projection_checkpoints';

/**
 * Opens (or creates) the read-model database of one API process: a SQLite file separate from the
 * event log, which it is rebuilt from.
 */
export function openReadModelDb(path: string): ReadModelDb {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Unlike the event log (FULL), the read model can afford NORMAL: a power loss may drop the last
  // transactions, but each one holds a projection's writes together with its checkpoint, so the
  // projection simply re-applies them from the log on restart.
  db.pragma('synchronous = NORMAL');
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
      name TEXT PRIMARY KEY,
      position TEXT,
      version INTEGER NOT NULL
    ) WITHOUT ROWID`,
  );
  return db;
}

export function readCheckpoint(db: ReadModelDb, name: string): ProjectionCheckpoint | undefined {
  const row = db
    .prepare<[string], { position: string | null; version: number }>(
      `SELECT position, version FROM ${CHECKPOINT_TABLE} WHERE name = ?`,
    )
    .get(name);
  if (!row) return undefined;
  return { position: row.position === null ? null : BigInt(row.position), version: row.version };
}

/** Positions are stored as decimal text: SQLite integers are signed 64-bit, `$all` positions need not be. */
export function writeCheckpoint(db: ReadModelDb, name: string, checkpoint: ProjectionCheckpoint): void {
  db.prepare<[string, string | null, number]>(
    `INSERT INTO ${CHECKPOINT_TABLE} (name, position, version) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, version = excluded.version`,
  ).run(name, checkpoint.position === null ? null : checkpoint.position.toString(), checkpoint.version);
}

/**
 * Renders every read-model table (schema, then rows ordered by primary key, or by all columns for a
 * table without one) as text, so that two read models can be compared byte for byte. The checkpoint
 * table is bookkeeping, not read model: a filtered projection's checkpoint legitimately differs
 * between an incremental run and a rebuild.
 */
export function dumpReadModel(db: ReadModelDb): string {
  const tables = db
    .prepare<[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master
       WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '${CHECKPOINT_TABLE}'
       ORDER BY name`,
    )
    .all();
  const lines: string[] = [];
  for (const { name, sql } of tables) {
    const columns = db
      .prepare<[string], { name: string; pk: number }>('SELECT name, pk FROM pragma_table_info(?)')
      .all(name);
    const keyColumns = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
    const order = (keyColumns.length > 0 ? keyColumns : columns).map((column) =>
      quoteIdentifier(column.name),
    );
    lines.push(`-- ${name}`, sql);
    const rows = db
      .prepare(`SELECT * FROM ${quoteIdentifier(name)} ORDER BY ${order.join(', ')}`)
      .raw(true)
      .safeIntegers(true)
      .iterate() as IterableIterator<unknown[]>;
    for (const row of rows) lines.push(row.map(renderValue).join(', '));
  }
  return lines.join('\n') + '\n';
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** SQL-literal-like rendering that keeps the storage class visible (integer 1 vs real 1.0 vs text '1'). */
function renderValue(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  return JSON.stringify(value);
}
