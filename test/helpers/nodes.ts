/**
 * Nodes of a multi-host test: every test gets fresh namespaces; afterwards the nodes it started
 * are killed (whole process groups) and waited for, then the namespaces' keys are deleted — in
 * that order, so no dying node writes a key after the clean-up.
 */
import { afterEach } from 'vitest';
import { startCluster, type RunningCluster } from './cluster-process';
import { dropNamespace, freshNamespace, SHARED_REDIS } from './redis';

const started: RunningCluster[] = [];
const spaces: { namespace: string; url: string }[] = [];

afterEach(async () => {
  const nodes = started.splice(0);
  for (const n of nodes) n.kill();
  await Promise.all(nodes.map((n) => n.exited(10_000).catch(() => undefined)));
  for (const { namespace, url } of spaces.splice(0)) await dropNamespace(namespace, url).catch(() => undefined);
});

/** A namespace for this test (its keys on `url` are deleted after the test). */
export function testNamespace(label: string, url = SHARED_REDIS): string {
  const namespace = freshNamespace(label);
  spaces.push({ namespace, url });
  return namespace;
}

/** Starts one node (a fixture process group), killed after the test. */
export function startNode(script: string, args: string[], env: Record<string, string> = {}): RunningCluster {
  const node = startCluster(script, args, env);
  started.push(node);
  return node;
}
