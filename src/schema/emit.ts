/**
 * `npm run schema`: writes the SDL of the orgclone schema to `schema.graphql` (or the path given),
 * the file GraphQL Code Generator and frontend teams read. A test fails when the committed file is
 * stale.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOrgcloneSchema } from './build-schema.js';
import { schemaSdl } from './sdl.js';

const target = resolve(process.argv[2] ?? 'schema.graphql');
writeFileSync(target, schemaSdl(await buildOrgcloneSchema()));
console.error(`wrote ${target}`);
