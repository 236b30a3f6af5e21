/**
 * ISSUE-7 typed actions: test/types/actions.test-d.ts is compiled with tsc (spawned, bounded).
 * 1. As written it must compile: every `@ts-expect-error` line really is an error, every other line is fine.
 * 2. With the directives removed, the errors must be exactly on the lines they guarded, which proves
 *    each wrong payload (or result) is refused by the compiler and nothing else is.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPES = path.join(ROOT, 'test/types');

function tsc(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', project], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('ISSUE-7: typed actions (defineAction<Payload, Result>)', () => {
  it('ISSUE-7: the type test compiles — every @ts-expect-error line is a compile error', () => {
    const r = tsc(path.join(TYPES, 'tsconfig.json'));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('ISSUE-7: without the directives, exactly the guarded lines fail (wrong payloads do not compile)', () => {
    const source = fs.readFileSync(path.join(TYPES, 'actions.test-d.ts'), 'utf8').split('\n');
    const guarded: number[] = [];
    const stripped = source.map((line, i) => {
      if (!line.trim().startsWith('// @ts-expect-error')) return line;
      guarded.push(i + 2); // 1-based number of the line after the directive
      return '';
    });
    expect(guarded.length).toBeGreaterThanOrEqual(10);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-types-'));
    try {
      fs.writeFileSync(path.join(dir, 'stripped.test-d.ts'), stripped.join('\n'));
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        extends: path.join(TYPES, 'tsconfig.json'),
        compilerOptions: { rootDir: '/', baseUrl: ROOT, typeRoots: [path.join(ROOT, 'node_modules/@types')], paths: { clustercore: ['./src/index.ts'] } },
        include: [path.join(dir, 'stripped.test-d.ts')],
      }));
      const r = tsc(path.join(dir, 'tsconfig.json'));
      expect(r.status).not.toBe(0);
      const errorLines = new Set(
        [...r.output.matchAll(/stripped\.test-d\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])),
      );
      expect([...errorLines].sort((a, b) => a - b), r.output).toEqual(guarded);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
