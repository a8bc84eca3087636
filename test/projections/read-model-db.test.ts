import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadModelDb } from '../../src/projections/read-model-db.js';
import {
  dumpReadModel,
  openReadModelDb,
  readCheckpoint,
  writeCheckpoint,
} from '../../src/projections/read-model-db.js';

let db: ReadModelDb;
beforeEach(() => {
  db = openReadModelDb(join(mkdtempSync(join(tmpdir(), 'read-model-')), 'read.db'));
});
afterEach(() => {
  db.close();
});

describe('openReadModelDb', () => {
  it('uses WAL with synchronous NORMAL', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

describe('checkpoints', () => {
  it('round-trip positions beyond 64-bit signed integers and the empty position', () => {
    expect(readCheckpoint(db, 'orgs')).toBeUndefined();
    writeCheckpoint(db, 'orgs', { position: null, version: 3 });
    expect(readCheckpoint(db, 'orgs')).toEqual({ position: null, version: 3 });
    writeCheckpoint(db, 'orgs', { position: 18_446_744_073_709_551_615n, version: 4 });
    expect(readCheckpoint(db, 'orgs')).toEqual({ position: 18_446_744_073_709_551_615n, version: 4 });
  });
});

describe('dumpReadModel', () => {
  it('renders rows by primary key whatever order they were written in', () => {
    const build = (target: ReadModelDb, keys: number[]) => {
      target.exec('CREATE TABLE IF NOT EXISTS items (org TEXT, n INTEGER, label TEXT, PRIMARY KEY (org, n))');
      for (const n of keys)
        target.prepare('INSERT INTO items VALUES (?, ?, ?)').run(n % 2 ? 'odd' : 'even', n, `#${n}`);
    };
    build(db, [1, 2, 3, 4]);
    const other = openReadModelDb(':memory:');
    build(other, [4, 3, 2, 1]);
    try {
      expect(dumpReadModel(other)).toEqual(dumpReadModel(db));
      expect(dumpReadModel(db).split('\n').slice(2, 6)).toEqual([
        '"even", 2, "#2"',
        '"even", 4, "#4"',
        '"odd", 1, "#1"',
        '"odd", 3, "#3"',
      ]);
    } finally {
      other.close();
    }
  });

  it('keeps storage classes apart and orders tables without a key by all columns', () => {
    db.exec('CREATE TABLE loose (value ANY, extra BLOB) STRICT');
    const insert = db.prepare('INSERT INTO loose VALUES (?, ?)');
    insert.run('1', null);
    insert.run(1.5, Buffer.from('hi'));
    insert.run(1n, null);
    insert.run(2n ** 62n, null);
    db.exec('CREATE TABLE floats (value REAL)');
    db.prepare('INSERT INTO floats VALUES (?)').run(1);

    expect(dumpReadModel(db)).toBe(
      [
        '-- floats',
        'CREATE TABLE floats (value REAL)',
        '1.0',
        '-- loose',
        'CREATE TABLE loose (value ANY, extra BLOB) STRICT',
        '1, NULL',
        "1.5, x'6869'",
        '4611686018427387904, NULL',
        '"1", NULL',
        '',
      ].join('\n'),
    );
  });

  it('leaves the checkpoints out: they are bookkeeping, not read model', () => {
    writeCheckpoint(db, 'orgs', { position: 5n, version: 1 });
    expect(dumpReadModel(db)).toBe('\n');
  });
});
