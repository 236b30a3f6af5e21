import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('Corejs samples: IPC', () => {
  it('R-IPC-1: seed 000 IPC sample — W:2 sends to W:1, W:1 prints it', async () => {
    const c = startCluster(sample('corejs/ipc.js'));
    const line = await c.waitFor('处理来自进程');
    expect(line).toBe('进程[W:1]处理来自进程[W:2]的消息:[{"action":"TEST_IPC_ACTION","payload":{"value":"这是一个🌰"}}]');
  });
});
