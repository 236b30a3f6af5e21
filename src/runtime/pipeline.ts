/**
 * The message pipeline (R-PIPE): onProcessWillReceiveMessage → next() → onProcessDidReceiveMessage,
 * next(x) replaces data.payload, next(DISCARD) → onProcessDidDiscardMessage. The same `data`
 * object flows through every stage, so a change made by one hook is seen by the next.
 */
import { Macros } from '../protocol/macros';
import { answerWithError } from './received-data';
import type { NextFunction, ProcessHooks, ReceivedData } from './hooks';
import type { Logger } from './logger';

/** Runs one user message through the hooks. */
export function runPipeline(hooks: ProcessHooks, logger: Logger, from: string, data: ReceivedData): void {
  if (!hooks.onProcessWillReceiveMessage) {
    // The common case: one hook, called without a closure per message.
    if (hooks.onProcessDidReceiveMessage) callHook(logger, 'onProcessDidReceiveMessage', hooks, hooks.onProcessDidReceiveMessage, from, data);
    return;
  }
  const run = new PipelineRun(hooks, logger, from, data);
  callHook(logger, 'onProcessWillReceiveMessage', hooks, hooks.onProcessWillReceiveMessage, from, data, run.next);
}

/** One message between will-receive and its next(): the only closure is `next` itself. */
class PipelineRun {
  private nextCalled = false;
  /** The next() handed to onProcessWillReceiveMessage (a closure: user code may call it detached). */
  readonly next: NextFunction = (payloadOrCommand?: unknown) => this.onNext(payloadOrCommand);

  constructor(
    private readonly hooks: ProcessHooks,
    private readonly logger: Logger,
    private readonly from: string,
    private readonly data: ReceivedData,
  ) {}

  private onNext(payloadOrCommand: unknown): void {
    const { hooks, logger, from, data } = this;
    if (this.nextCalled) {
      logger.warn(`next() called twice for message '${data.action}' from ${from}; ignored`);
      return;
    }
    this.nextCalled = true;
    if (payloadOrCommand === Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD) {
      if (hooks.onProcessDidDiscardMessage) callHook(logger, 'onProcessDidDiscardMessage', hooks, hooks.onProcessDidDiscardMessage, from, data);
      return;
    }
    if (payloadOrCommand !== undefined) data.payload = payloadOrCommand;
    if (hooks.onProcessDidReceiveMessage) callHook(logger, 'onProcessDidReceiveMessage', hooks, hooks.onProcessDidReceiveMessage, from, data);
  }
}

/** safeCall of `hook.call(hooks, from, data)` with a RemoteError answer on failure, without closures unless it returns a promise. */
function callHook(
  logger: Logger,
  what: string,
  hooks: ProcessHooks,
  hook: (from: string, data: ReceivedData, next: NextFunction) => unknown,
  from: string,
  data: ReceivedData,
  next?: NextFunction,
): void {
  try {
    // A hook that throws (or rejects) while a request is unanswered answers it with a RemoteError.
    const r = next ? hook.call(hooks, from, data, next) : (hook as (f: string, d: ReceivedData) => unknown).call(hooks, from, data);
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      (r as Promise<unknown>).then(undefined, (err: unknown) => {
        logger.error(`${what} failed:`, err);
        answerWithError(data, err);
      });
    }
  } catch (err) {
    logger.error(`${what} threw:`, err);
    answerWithError(data, err);
  }
}
