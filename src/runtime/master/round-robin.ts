/**
 * Round-robin choice over a changing set of members (the master's ready workers, for consume).
 * The cursor follows the last id picked, not an index, so a worker joining or leaving never makes
 * the rotation skip or repeat a member; next() is O(1) unless members are excluded.
 */
import { compareProcessIds } from '../../protocol/process-id';

/** Picks members in turn: W:1, W:2, W:3, W:1, … over whatever the current members are. */
export class RoundRobin {
  private members: readonly string[] = [];
  private cursor = 0;
  private lastId: string | null = null;

  /** Replaces the members (sorted by process id); the rotation goes on after the last id picked. */
  setMembers(ids: readonly string[]): void {
    this.members = ids;
    if (this.lastId === null) {
      this.cursor = 0;
      return;
    }
    const last = this.lastId;
    const after = ids.findIndex((id) => compareProcessIds(id, last) > 0);
    this.cursor = after === -1 ? 0 : after;
  }

  /** Number of current members. */
  get size(): number {
    return this.members.length;
  }

  /** The next member not in `exclude`, or undefined when there is none. */
  next(exclude?: ReadonlySet<string>): string | undefined {
    const n = this.members.length;
    for (let tries = 0; tries < n; tries++) {
      const id = this.members[this.cursor];
      this.cursor = (this.cursor + 1) % n;
      if (exclude && exclude.has(id)) continue;
      this.lastId = id;
      return id;
    }
    return undefined;
  }
}

/** One member picked uniformly at random, skipping `exclude`; undefined when none is left. */
export function pickRandom(ids: readonly string[], exclude?: ReadonlySet<string>, random: () => number = Math.random): string | undefined {
  const candidates = exclude && exclude.size > 0 ? ids.filter((id) => !exclude.has(id)) : ids;
  if (candidates.length === 0) return undefined;
  return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))];
}
