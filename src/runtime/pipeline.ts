/**
 * The message pipeline (R-PIPE): onProcessWillReceiveMessage → next() → onProcessDidReceiveMessage,
 * next(x) replaces data.payload, next(DISCARD) → onProcessDidDiscardMessage. The same `data`
 * object flows through every stage, so a change made by one hook is seen by the next.
 */
import { Macros } from '../protocol/macros';
import { safeCall } from './safe-call';
import type { ProcessHooks, ReceivedData } from './hooks';
import type { Logger } from './logger';

/** Runs one user message through the hooks. */
export function runPipeline(hooks: ProcessHooks, logger: Logger, from: string, data: ReceivedData): void {
  if (!hooks.onProcessWillReceiveMessage) {
    safeCall(logger, 'onProcessDidReceiveMessage', () => hooks.onProcessDidReceiveMessage?.(from, data));
    return;
  }
  let nextCalled = false;
  const next = (payloadOrCommand?: unknown): void => {
    if (nextCalled) {
      logger.warn(`next() called twice for message '${data.action}' from ${from}; ignored`);
      return;
    }
    nextCalled = true;
    if (payloadOrCommand === Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD) {
      safeCall(logger, 'onProcessDidDiscardMessage', () => hooks.onProcessDidDiscardMessage?.(from, data));
      return;
    }
    if (payloadOrCommand !== undefined) data.payload = payloadOrCommand;
    safeCall(logger, 'onProcessDidReceiveMessage', () => hooks.onProcessDidReceiveMessage?.(from, data));
  };
  safeCall(logger, 'onProcessWillReceiveMessage', () => hooks.onProcessWillReceiveMessage!(from, data, next));
}
