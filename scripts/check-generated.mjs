// CI: fails when schema.graphql (emitted from the type-graphql classes) or the typed documents that
// GraphQL Code Generator makes from it and test/operations are stale: regenerates both, then asks
// git whether anything changed.
import { execFileSync } from 'node:child_process';

const generated = ['schema.graphql', 'test/generated'];
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

run('node', ['dist/src/schema/emit.js']);
run('npx', ['graphql-codegen', '--config', 'codegen.yml', '--silent']);
const changes = execFileSync('git', ['status', '--porcelain', '--', ...generated], { encoding: 'utf8' });
if (changes.trim() !== '') {
  console.error(
    `Generated files are stale; run \`npm run schema && npm run codegen\` and commit:\n${changes}`,
  );
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', ...generated], { stdio: 'inherit' });
  process.exit(1);
}
console.error('schema.graphql and test/generated are up to date');
