import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOrgcloneSchema } from '../../src/schema/build-schema.js';
import { schemaSdl } from '../../src/schema/sdl.js';

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema` after changing the API)', async () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(schemaSdl(await buildOrgcloneSchema()));
  });
});
