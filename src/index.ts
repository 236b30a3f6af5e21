/**
 * clustercore: master / worker / alone processes for Node.js.
 * This file only re-exports; reflect-metadata is loaded once here for the decorator API.
 */
import 'reflect-metadata';

export { ClusterCore } from './core/cluster-core';
export { type RequestOptions, type TraceOptionsArg } from './core/messaging';
export { type ClusterCoreOptions, type MetricsOptions, DEFAULT_OPTIONS } from './core/options';
export type { ClusterOptions, AloneScope, RedisConnectionOptions } from './core/cluster-options';
export type { GroupStatus, ProcessStatus, ProcessSnapshot, ProcessState, ExitInfo } from './protocol/process-status';
export { type ActionToken, type ActionName, type PayloadOf, type ResultOf, defineAction } from './core/action';
export { type MessengerOptions, type ScopeOptions } from './core/messenger';
export { type ReloadCallOptions } from './core/reload';
export { type GlobalObjectApi } from './core/global-object-api';
export type {
  GlobalObject,
  GlobalKey,
  GlobalKeyPath,
  GlobalQueryFn,
  GlobalUpdateFn,
  GlobalSetResult,
  SetGlobalObjectDetail,
  GlobalValueCallback,
  SetGlobalObjectCallback,
  GlobalObjectCallback,
} from './core/global-object-types';
export { AppMain } from './compat/app-main';
export { Macros } from './protocol/macros';
export {
  ClusterCoreError,
  TraceTimeoutError,
  RemoteError,
  TargetUnavailableError,
  InvalidArgumentError,
  GlobalObjectError,
  MapError,
  NoWorkerError,
  DataLimitError,
  ReloadError,
  type MapFailure,
  type MapResult,
} from './protocol/errors';
export type { MessageData, Meta, Envelope } from './protocol/envelope';
export type { ProcessHooks, ReceivedData, TraceDetail, ExitDetail, ExitReason, NextFunction } from './runtime/hooks';
export type { Logger } from './runtime/logger';
export { Master } from './di/decorators/master';
export { Worker } from './di/decorators/worker';
export { Alone } from './di/decorators/alone';
export { OnMessage } from './di/decorators/on-message';
export { Trace } from './di/decorators/trace';
export { Module, type ModuleOptions } from './di/decorators/module';
export { bootstrap } from './di/bootstrap';
export type { MessageContext } from './di/message-context';
export type {
  OnProcessDidInit,
  OnApplicationReady,
  OnWorkerProcessDidExit,
  OnProcessWillReceiveMessage,
  OnProcessDidReceiveMessage,
  OnProcessDidDiscardMessage,
  OnProcessTraceMessageTimeout,
  OnProcessWillExit,
} from './di/lifecycle';
