/**
 * Corejs `AppMain` (seed 000): the base class of a Corejs app. Each hook has the Corejs default;
 * onProcessDidInit sets processId and launchParams, so an override must call super (as in Corejs).
 */
import type { ClusterCore } from '../core/cluster-core';
import type { ExitDetail, NextFunction, ProcessHooks, ReceivedData } from '../runtime/hooks';
import type { MessageData } from '../protocol/envelope';

/** Base class of a Corejs application: override the lifecycle methods you need. */
export class AppMain implements ProcessHooks {
  /** Id of this process ('M', 'W:<n>', 'A'); set by the default onProcessDidInit. */
  processId!: string;
  /** The master's process.argv; set by the default onProcessDidInit. */
  launchParams!: string[];
  /** This process's ClusterCore; set before any hook runs. */
  clusterCore!: ClusterCore;

  /** Sets processId and launchParams. Overrides must call super.onProcessDidInit(...). */
  onProcessDidInit(processId: string, launchParams: string[]): unknown {
    this.processId = processId;
    this.launchParams = launchParams;
    return undefined;
  }

  /** A worker exited (master only). Default: nothing (the worker is not replaced). */
  onWorkerProcessDidExit(_exitedProcessId: string, _exitedDetail: ExitDetail, _reboot: () => void): unknown {
    return undefined;
  }

  /** First stage of every user message. Default: next(). */
  onProcessWillReceiveMessage(_fromProcessId: string, _data: ReceivedData, next: NextFunction): unknown {
    next();
    return undefined;
  }

  /** An accepted message. Default: nothing. */
  onProcessDidReceiveMessage(_fromProcessId: string, _data: ReceivedData): unknown {
    return undefined;
  }

  /** A discarded or late message. Default: nothing. */
  onProcessDidDiscardMessage(_fromProcessId: string, _data: ReceivedData): unknown {
    return undefined;
  }

  /** A TraceIPC got no reply in time. Default: nothing. */
  onProcessTraceMessageTimeout(_toProcessId: string, _data: MessageData): unknown {
    return undefined;
  }
}
