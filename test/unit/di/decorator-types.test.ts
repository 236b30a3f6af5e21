/**
 * ISSUE-5 typed handlers: test/types/decorators.test-d.ts is compiled with tsc (spawned, bounded).
 * With its `@ts-expect-error` directives removed, the errors must be exactly on the lines they
 * guarded: each wrong handler type is refused by the compiler, and every right one is accepted.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPES = path.join(ROOT, 'test/types');

describe('ISSUE-5: @OnMessage with a defineAction() token is type-checked', () => {
  it('ISSUE-5: without the directives, exactly the guarded lines fail to compile', () => {
    const source = fs.readFileSync(path.join(TYPES, 'decorators.test-d.ts'), 'utf8').split('\n');
    const guarded: number[] = [];
    const stripped = source.map((line, i) => {
      if (!line.trim().startsWith('// @ts-expect-error')) return line;
      guarded.push(i + 2); // 1-based number of the line after the directive
      return '';
    });
    expect(guarded).toHaveLength(4);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-dec-types-'));
    try {
      fs.writeFileSync(path.join(dir, 'stripped.test-d.ts'), stripped.join('\n'));
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        extends: path.join(TYPES, 'tsconfig.json'),
        compilerOptions: { rootDir: '/', baseUrl: ROOT, typeRoots: [path.join(ROOT, 'node_modules/@types')], paths: { clustercore: ['./src/index.ts'] } },
        include: [path.join(dir, 'stripped.test-d.ts')],
      }));
      const r = spawnSync(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', path.join(dir, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      const output = `${r.stdout}${r.stderr}`;
      const errorLines = new Set([...output.matchAll(/stripped\.test-d\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
      expect([...errorLines].sort((a, b) => a - b), output).toEqual(guarded);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
