/**
 * Type tests: a `*.test-d.ts` file under test/types marks each line that must NOT compile with
 * `// @ts-expect-error`. compileGuardedOnly() strips the directives and compiles the file alone, so a
 * test can check that the errors fall on exactly the guarded lines (each wrong use is refused, and
 * nothing else is).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './cluster-process';

/** Folder of the type tests and their tsconfig.json. */
export const TYPES = path.join(ROOT, 'test/types');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/** Runs `tsc --noEmit -p project` (bounded); returns its exit status and output. */
export function tsc(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', project], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Compiles `file` (in test/types) without its directives: the guarded line numbers and the lines tsc refused. */
export function compileGuardedOnly(file: string): { guarded: number[]; errorLines: number[]; status: number | null; output: string } {
  const source = fs.readFileSync(path.join(TYPES, file), 'utf8').split('\n');
  const guarded: number[] = [];
  const stripped = source.map((line, i) => {
    if (!line.trim().startsWith('// @ts-expect-error')) return line;
    guarded.push(i + 2); // 1-based number of the line after the directive
    return '';
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-types-'));
  try {
    fs.writeFileSync(path.join(dir, 'stripped.test-d.ts'), stripped.join('\n'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: path.join(TYPES, 'tsconfig.json'),
      compilerOptions: { rootDir: '/', baseUrl: ROOT, typeRoots: [path.join(ROOT, 'node_modules/@types')], paths: { clustercore: ['./src/index.ts'] } },
      include: [path.join(dir, 'stripped.test-d.ts')],
    }));
    const r = tsc(path.join(dir, 'tsconfig.json'));
    const lines = new Set([...r.output.matchAll(/stripped\.test-d\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
    return { guarded, errorLines: [...lines].sort((a, b) => a - b), status: r.status, output: r.output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
