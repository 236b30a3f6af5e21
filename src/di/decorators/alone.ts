/** `@Alone()`: the class is an entry of the alone process, which the master starts only when such a class exists. */
import { roleDecorator, type AnyClass } from './role';

/** Marks a class as an entry of the alone process ('A') and makes it injectable. */
export function Alone(): <T extends AnyClass>(target: T) => void {
  return roleDecorator('alone');
}
