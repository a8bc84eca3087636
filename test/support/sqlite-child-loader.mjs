/**
 * Lets a child `node` process run our TypeScript sources unbundled: `node --import <this file> x.ts`.
 *
 * Why this and not a bundler: Node 20 cannot strip types, tsx/ts-node-esm are not project
 * dependencies, and esbuild is not installed (vite 8 bundles with rolldown, a transitive dependency we
 * should not rely on). TypeScript itself is a direct dev dependency, and `transpileModule` is exactly
 * what `isolatedModules` promises works file by file. The child then imports the real `src/` files,
 * resolving `better-sqlite3` from the project like any other module.
 *
 * Transpiled files are cached on disk by content (`node_modules/.cache/orgclone-child-loader`): a child
 * that starts the whole server imports some 200 files, and transpiling them all again in every child
 * made each start take seconds (the reliability tests start dozens). TypeScript is only loaded on a miss.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { URL, fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';

// Imported with --import on the main thread, it registers itself; in the hooks thread it is the hooks.
if (isMainThread) register(import.meta.url);

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/orgclone-child-loader/', import.meta.url));
/** Whatever changes the output besides the source: this loader itself and the compiler's version. */
const cacheSalt = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(readFileSync(fileURLToPath(new URL('../../node_modules/typescript/package.json', import.meta.url))))
  .digest('hex');

/** Our sources import each other as `./x.js` (NodeNext); on disk that is `./x.ts`. */
export async function resolve(specifier, context, nextResolve) {
  if (context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const candidate = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, 'utf8');
  const key = createHash('sha256').update(cacheSalt).update(fileName).update(source).digest('hex');
  const cached = `${cacheDir}${key}.js`;
  if (existsSync(cached))
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  const { default: ts } = await import('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      inlineSourceMap: true,
    },
  });
  // Written aside and renamed: children starting at once never read a half-written file.
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, outputText);
  renameSync(partial, cached);
  return { format: 'module', source: outputText, shortCircuit: true };
}
