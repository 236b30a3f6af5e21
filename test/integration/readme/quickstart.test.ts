/**
 * The README's quick start must stay a complete TypeScript app: this test cuts it out of README.md and
 * compiles it with tsc against the built package, exactly as a newcomer's project would.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cluster-process';

function quickStartSource(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no ```ts block under "## Quick start"');
  return match[1];
}

describe('README', () => {
  it('ISSUE-5: the quick start is a complete TypeScript app that compiles with tsc', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clustercore-readme-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.ts'), quickStartSource());
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true,
          experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true, outDir: 'dist',
          types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')], baseUrl: ROOT,
          paths: { clustercore: ['dist/src/index.d.ts'], tsyringe: ['node_modules/tsyringe'], 'reflect-metadata': ['node_modules/reflect-metadata'] },
        },
        files: ['main.ts'],
      }));
      const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', timeout: 60_000 });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
      expect(fs.existsSync(path.join(dir, 'dist/main.js'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
