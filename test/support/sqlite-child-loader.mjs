/**
 * Lets a child `node` process run our TypeScript sources unbundled: `node --import <this file> x.ts`.
 *
 * Why this and not a bundler: Node 20 cannot strip types, tsx/ts-node-esm are not project
 * dependencies, and esbuild is not installed (vite 8 bundles with rolldown, a transitive dependency we
 * should not rely on). TypeScript itself is a direct dev dependency, and `transpileModule` is exactly
 * what `isolatedModules` promises works file by file. The child then imports the real `src/` files,
 * resolving `better-sqlite3` from the project like any other module.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { URL, fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import ts from 'typescript';

// Imported with --import on the main thread, it registers itself; in the hooks thread it is the hooks.
if (isMainThread) register(import.meta.url);

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
  const { outputText } = ts.transpileModule(await readFile(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      inlineSourceMap: true,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
