import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSealer, Sealer } from '../../src/security/sealer.js';

const key = Buffer.alloc(32, 7);

describe('Sealer', () => {
  it('round-trips any JSON value and never shows the plain text', () => {
    const sealer = new Sealer(key);
    const plain = { password: 'MARKER-wifi-secret-42', nested: [1, true, null] };
    const sealed = sealer.seal(plain);
    expect(sealed.sealed).not.toContain('MARKER');
    expect(sealer.unseal(sealed)).toEqual(plain);
  });

  it('seals the same value differently each time (random nonce)', () => {
    const sealer = new Sealer(key);
    expect(sealer.seal('x').sealed).not.toEqual(sealer.seal('x').sealed);
  });

  it('refuses a value sealed with another key or altered', () => {
    const sealed = new Sealer(key).seal('secret');
    expect(() => new Sealer(Buffer.alloc(32, 8)).unseal(sealed)).toThrow(/not sealed with this key/);
    const parts = sealed.sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => new Sealer(key).unseal({ sealed: parts.join(':') })).toThrow();
  });

  it('creates a key file once (mode 0600) and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sealer-')), 'keys', 'secret.key');
    const first = loadSealer(file, {});
    const sealed = first.seal('kept');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSealer(file, {}).unseal(sealed)).toBe('kept');
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the key from ORGCLONE_SECRET_KEY and rejects a malformed one', () => {
    const env = { ORGCLONE_SECRET_KEY: key.toString('hex') };
    expect(loadSealer('/nonexistent/never-created', env).unseal(new Sealer(key).seal(1))).toBe(1);
    expect(() => loadSealer('/nonexistent', { ORGCLONE_SECRET_KEY: 'abc' })).toThrow(/64 hex/);
  });
});
