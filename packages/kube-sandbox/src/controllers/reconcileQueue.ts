import { errorMessage, isConflict } from './controllerClient';

/** Names one object: its store resource key (`<plural>.<group>`), namespace and name. */
export interface ObjectKey {
  resource: string;
  namespace?: string;
  name: string;
}

export function keyString(key: ObjectKey): string {
  return `${key.resource}/${key.namespace ?? ''}/${key.name}`;
}

/**
 * A controller's work queue, like client-go's rate-limited queue in spirit: an object added
 * while it is already waiting is reconciled once, at the earlier of the two times (as client-go's
 * delaying queue `AddAfter` keeps the earliest), reading the state at the time the reconcile
 * runs; a reconcile that loses an optimistic-concurrency race (409) is retried. Reconciles run
 * from timers, never inside the store event that triggered them.
 */
export class ReconcileQueue {
  readonly #timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  #stopped = false;

  constructor(
    readonly name: string,
    readonly defaultDelayMs: number,
    readonly reconcile: (key: ObjectKey) => void,
    readonly log: (line: string) => void,
  ) {}

  add(key: ObjectKey, delayMs = this.defaultDelayMs) {
    if (this.#stopped) return;
    const id = keyString(key);
    const due = Date.now() + delayMs;
    const waiting = this.#timers.get(id);
    if (waiting) {
      if (waiting.due <= due) return;
      clearTimeout(waiting.timer);
    }
    this.#timers.set(id, {
      due,
      timer: setTimeout(() => {
        this.#timers.delete(id);
        this.#run(key, 0);
      }, delayMs),
    });
  }

  stop() {
    this.#stopped = true;
    this.#timers.forEach(({ timer }) => clearTimeout(timer));
    this.#timers.clear();
  }

  #run(key: ObjectKey, attempt: number) {
    if (this.#stopped) return;
    try {
      this.reconcile(key);
    } catch (error) {
      if (isConflict(error) && attempt < 5) {
        this.#run(key, attempt + 1);
        return;
      }
      this.log(
        `controller ${this.name}: ${keyString(
          key,
        )} not reconciled: ${errorMessage(error)}`,
      );
    }
  }
}
