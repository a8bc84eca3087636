/**
 * The server child (`test/support/server-child.ts`) and the sources it imports, transpiled file by
 * file into `node_modules/.cache/orgclone-reliability-child/` (a file only when its source is newer),
 * so that a child runs as plain JavaScript: `node <dir>/test/support/server-child.js`.
 *
 * Why not `sqlite-child-loader.mjs`, as the other child processes: the reliability tests start dozens
 * of whole servers, and with the loader every import of a child waits for the loader's hooks thread,
 * which cost about a third of a child's start-up CPU (measured: 1.25 s of CPU with the loader, 0.9 s
 * without). The transpilation is the loader's: `transpileModule`, as `isolatedModules` allows.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = join(root, 'node_modules/.cache/orgclone-reliability-child');

function sourcesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function transpile(source: string): void {
  const target = join(outDir, relative(root, source)).replace(/\.ts$/, '.js');
  let stale = true;
  try {
    stale = statSync(target).mtimeMs < statSync(source).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (!stale) return;
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
    },
  });
  mkdirSync(dirname(target), { recursive: true });
  // Written aside and renamed: test files building at once never see a half-written file.
  const partial = `${target}.${process.pid}.tmp`;
  writeFileSync(partial, outputText);
  renameSync(partial, target);
}

/** Brings the build up to date; returns the path of the child's entry point. */
export function buildServerChild(): string {
  mkdirSync(outDir, { recursive: true });
  // Outside the project's package scope (node_modules): says the files are ES modules.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  const child = join(root, 'test/support/server-child.ts');
  for (const source of [...sourcesUnder(join(root, 'src')), child]) transpile(source);
  return join(outDir, 'test/support/server-child.js');
}
