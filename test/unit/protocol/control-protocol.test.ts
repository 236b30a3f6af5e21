import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_REQUEST_BYTES, PROTOCOL_ERROR, isControlError, parseControlRequest } from '../../../src/protocol/control-protocol';
import { appNameOf, runDir, safeAppName, socketPath } from '../../../src/protocol/control-path';

describe('control protocol (R-OBS-2)', () => {
  it('R-OBS-2: valid requests parse; seq is kept', () => {
    expect(parseControlRequest('{"cmd":"status"}')).toEqual({ cmd: 'status' });
    expect(parseControlRequest('{"cmd":"stats","id":"W:1","seq":3}')).toEqual({ cmd: 'stats', id: 'W:1', seq: 3 });
    expect(parseControlRequest('{"cmd":"stop","timeout":250}')).toEqual({ cmd: 'stop', timeout: 250 });
    expect(parseControlRequest('{"cmd":"reload","seq":"a"}')).toEqual({ cmd: 'reload', seq: 'a' });
  });

  it('R-OBS-2: every malformed request is an error answer naming what is wrong', () => {
    const cases: [string, string][] = [
      ['nope', 'not JSON'],
      ['[]', 'JSON object'],
      ['null', 'JSON object'],
      ['{"cmd":1}', 'unknown command 1'],
      ['{"cmd":"rm -rf"}', 'unknown command "rm -rf"'],
      ['{"cmd":"stats"}', "'stats' needs 'id'"],
      ['{"cmd":"stats","id":""}', "'stats' needs 'id'"],
      ['{"cmd":"stop","timeout":-1}', "'timeout' must be"],
      ['{"cmd":"status","seq":{}}', "'seq' must be"],
      [`{"cmd":"status","pad":"${'x'.repeat(MAX_REQUEST_BYTES)}"}`, `longer than ${MAX_REQUEST_BYTES} bytes`],
    ];
    for (const [line, message] of cases) {
      const r = parseControlRequest(line);
      expect(isControlError(r), line.slice(0, 40)).toBe(true);
      expect(r).toMatchObject({ name: PROTOCOL_ERROR, message: expect.stringContaining(message) });
    }
  });

  it('R-OBS-2: the line splitter returns whole lines across chunks and refuses an overlong one', () => {
    const s = new LineSplitter(10);
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\n\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n')).toEqual(['{"b":2}']);
    expect(s.push('x'.repeat(11))).toBeNull();
    expect(new LineSplitter(10).push(`${'y'.repeat(11)}\n`)).toBeNull();
  });

  it('R-OBS-2: sockets live in $XDG_RUNTIME_DIR/clustercore or <tmp>/clustercore-<uid>, named after the app', () => {
    expect(runDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/clustercore');
    expect(runDir({ XDG_RUNTIME_DIR: 'relative/ignored' })).toMatch(new RegExp(`clustercore-${process.getuid!()}$`));
    expect(runDir({})).toMatch(new RegExp(`clustercore-${process.getuid!()}$`));
    expect(appNameOf('shop api', '/srv/app/dist/main.js')).toBe('shop-api');
    expect(appNameOf(null, '/srv/app/dist/main.js')).toBe('main');
    expect(appNameOf(undefined, undefined)).toBe('node');
    expect(safeAppName('../../etc/passwd')).toBe('etc-passwd');
    expect(socketPath('api', '/d')).toBe('/d/api.sock');
    expect(socketPath('a/b', '/d')).toBe('/d/a-b.sock');
  });
});
