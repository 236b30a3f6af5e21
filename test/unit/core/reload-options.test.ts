/** R-SUP-6 / R-SUP-8: options of reload and health are checked with the option's name. */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/core/options';
import { checkReloadOptions } from '../../../src/core/reload';
import { ReloadError, fromWireError, toWireError } from '../../../src/protocol/errors';
import { parseWatchdogEnv, watchdogEnv } from '../../../src/runtime/process-role';

describe('R-SUP-8: health and reload options', () => {
  it('R-SUP-8: defaults: reloadConcurrency 1, heartbeatInterval 1000, heartbeatTimeout 10000, no maxMemory, no watch', () => {
    expect(resolveOptions('bootstrap', {})).toMatchObject({ reloadConcurrency: 1, heartbeatInterval: 1000, heartbeatTimeout: 10_000, maxMemory: null, watch: null });
  });

  it('R-SUP-8: watch takes a path or paths; heartbeatTimeout 0 turns the heartbeat off', () => {
    expect(resolveOptions('bootstrap', { watch: 'src' }).watch).toEqual(['src']);
    expect(resolveOptions('bootstrap', { watch: ['a', 'b'] }).watch).toEqual(['a', 'b']);
    expect(resolveOptions('bootstrap', { heartbeatTimeout: 0, heartbeatInterval: 50 })).toMatchObject({ heartbeatTimeout: 0, heartbeatInterval: 50 });
  });

  it('R-SUP-8: wrong values are refused naming the option and the value', () => {
    expect(() => resolveOptions('bootstrap', { reloadConcurrency: 0 })).toThrow("bootstrap: option 'reloadConcurrency' must be an integer >= 1, got number 0");
    expect(() => resolveOptions('bootstrap', { heartbeatInterval: 'fast' })).toThrow("bootstrap: option 'heartbeatInterval' must be a number >= 10, got \"fast\"");
    expect(() => resolveOptions('bootstrap', { maxMemory: -5 })).toThrow("bootstrap: option 'maxMemory' must be a number >= 1, got number -5");
    expect(() => resolveOptions('bootstrap', { watch: [] })).toThrow("bootstrap: option 'watch' must be a non-empty path or a non-empty array of non-empty paths, got array(0)");
    expect(() => resolveOptions('bootstrap', { watch: 3 })).toThrow("bootstrap: option 'watch' must be a non-empty path or a non-empty array of non-empty paths, got number 3");
    expect(() => resolveOptions('bootstrap', { heartbeatTimeout: 100, heartbeatInterval: 500 })).toThrow("bootstrap: option 'heartbeatTimeout' (100 ms) must be 0 (off) or at least 'heartbeatInterval' (500 ms)");
  });
});

describe('R-SUP-6: reload() arguments and ReloadError', () => {
  it('R-SUP-6: reload options are undefined or { alone: boolean }; anything else names the argument and the value', () => {
    expect(checkReloadOptions('reload', undefined)).toEqual({});
    expect(checkReloadOptions('reload', { alone: true })).toEqual({ alone: true });
    expect((checkReloadOptions('reload', 'all') as Error).message).toBe("reload: argument 'options' must be a plain object like { alone: true }, got \"all\"");
    expect((checkReloadOptions('reload', { alone: 1 }) as Error).message).toBe("reload: argument 'options.alone' must be a boolean, got number 1");
    expect((checkReloadOptions('reload', { workers: 2 }) as Error).message).toBe("reload: argument 'options.workers' must be absent (the only option is 'alone'), got number 2");
  });

  it('R-SUP-6: ReloadError names the worker, carries the replacement\'s message, and survives the wire as itself', () => {
    const err = new ReloadError('W:2', 'boom');
    expect(err.name).toBe('ReloadError');
    expect(err.message).toBe('reload: the replacement of W:2 failed to start: boom; the rollout stopped and the processes not replaced yet keep serving');
    const back = fromWireError(toWireError(err));
    expect(back).toBeInstanceOf(ReloadError);
    expect(back).toMatchObject({ name: 'ReloadError', processId: 'W:2', reason: 'boom', message: err.message });
  });
});

describe('R-SUP-7 / R-SUP-8: watchdog settings passed to each child', () => {
  it('R-SUP-8: the stack is taken at half the heartbeat time-out (at least two beats); 0 means never', () => {
    expect(parseWatchdogEnv(watchdogEnv(42, 1000, 10_000))).toEqual({ masterPid: 42, beatMs: 1000, stallMs: 5000 });
    expect(parseWatchdogEnv(watchdogEnv(42, 200, 1500))).toEqual({ masterPid: 42, beatMs: 200, stallMs: 750 });
    expect(parseWatchdogEnv(watchdogEnv(42, 1000, 0))).toEqual({ masterPid: 42, beatMs: 1000, stallMs: 0 });
    expect(parseWatchdogEnv(undefined)).toBeNull();
    expect(parseWatchdogEnv('1,x,3')).toBeNull();
  });
});
