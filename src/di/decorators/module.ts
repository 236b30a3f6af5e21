/** `@Module({ imports, providers })`: groups role classes and services; bootstrap() walks the graph. */
import { MODULE_KEY, requireReflect, type ModuleMeta } from '../metadata-keys';
import type { AnyClass } from './role';

/** What `@Module()` takes. */
export interface ModuleOptions {
  /** Other `@Module` classes whose providers join this one. */
  imports?: AnyClass[];
  /** Role classes (`@Master`/`@Worker`/`@Alone`) and services, one instance per process each. */
  providers?: AnyClass[];
}

/** Declares a module: its role classes and services (providers) and the modules it imports. */
export function Module(options: ModuleOptions): <T extends AnyClass>(target: T) => void {
  // Kept as given: a wrong shape is reported by bootstrap() with the module's name.
  return (target) => {
    requireReflect('@Module()', target);
    Reflect.defineMetadata(MODULE_KEY, (options ?? null) as ModuleMeta | null, target);
  };
}
