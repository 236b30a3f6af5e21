/**
 * Installed as a user installs it: `npm pack` the package, install the tarball into an empty
 * project, paste the README's quick start as src/main.ts and its tsconfig.json exactly as the README
 * states it (both cut out of README.md's "## Quick start" section), and compile with tsc. So the
 * README's settings are the ones tested, and `files`, `exports`, the `bin` and the types are
 * checked as shipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cluster-process';

/** The first ```<lang> block of README.md's "## Quick start" section. */
function quickStartBlock(lang: 'ts' | 'json'): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Quick start')[1]?.split('\n## ')[0] ?? '';
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!match) throw new Error(`README.md has no \`\`\`${lang} block under "## Quick start" (the tsconfig.json the quick start needs: see docs/readme/operating.md, "README fix: tsconfig")`);
  return match[1];
}

/** Runs a command to its end (bounded); fails the test with its output when it fails. */
function run(cmd: string, args: string[], cwd: string, timeout = 180_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1' } });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (status ${r.status}, ${r.error?.message ?? ''}):\n${out}`);
  return out;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clustercore-install-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('README quick start, installed from the packed tarball', () => {
  it('ISSUE-13: npm pack ships dist only; the tarball installs; the quick start compiles with the README tsconfig; bin, exports and types work', () => {
    // dist/ was built by `npm test`; scripts are skipped so packing does not build again.
    const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/bin/clustercore.js']));
    expect(files.filter((f) => !f.startsWith('dist/src/') && !f.startsWith('dist/bin/') && !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([]);
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);

    const app = path.join(work, 'app');
    fs.mkdirSync(path.join(app, 'src'), { recursive: true });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'try-clustercore', version: '1.0.0', private: true }));
    // The README's two install lines, with the versions this repository is tested with (from the npm cache when it has them).
    const tarball = path.join(work, packed[0].filename);
    const npmInstall = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
    run('npm', [...npmInstall, tarball, `reflect-metadata@${pkg.dependencies['reflect-metadata']}`, `tsyringe@${pkg.dependencies.tsyringe}`], app);
    run('npm', [...npmInstall, '-D', `typescript@${pkg.devDependencies.typescript}`, `@types/node@${pkg.devDependencies['@types/node']}`], app);

    fs.writeFileSync(path.join(app, 'src/main.ts'), quickStartBlock('ts'));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), quickStartBlock('json'));
    const tsc = spawnSync(process.execPath, [path.join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(fs.existsSync(path.join(app, 'dist/main.js'))).toBe(true);

    // The bin as installed, and the package's exports.
    expect(run(path.join(app, 'node_modules/.bin/clustercore'), ['--help'], app)).toContain('Usage: clustercore <command> [app] [options]');
    const probe = "const c = require('clustercore'); const p = require('clustercore/package.json'); console.log(p.version, typeof c.bootstrap, typeof c.ClusterCore.prototype.status)";
    expect(run(process.execPath, ['-e', probe], app).trim()).toBe(`${pkg.version} function function`);
  }, 300_000);
});
