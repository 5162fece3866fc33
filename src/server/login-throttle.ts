/**
 * Failed sign-ins per login and address (README "Signing in"): after `max` failures within the window,
 * sign-ins for that login from that address are refused until the oldest failure ages out. A successful
 * sign-in clears the count, so people who sign in often are never locked out by it. In memory: a
 * restart forgets it.
 */
import { fail } from '../core/errors.js';

/** Keys kept before failures outside the window are swept (bounds memory against a login-guessing flood). */
const SWEEP_AT = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Refuse (`rate_limited`, with the seconds to wait) when `key` failed `max` times in the window. */
  check(key: string): void {
    const times = this.recent(key);
    if (times.length < this.max) return;
    const wait = Math.max(1, Math.ceil((times[0]! + this.windowMs - this.now()) / 1000));
    fail(
      'rate_limited',
      `Too many failed sign-ins for this login; try again in ${Math.ceil(wait / 60)} min.`,
      { retryAfterSeconds: wait },
    );
  }

  failed(key: string): void {
    if (this.failures.size >= SWEEP_AT) this.sweep();
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) {
      if (this.recent(key).length === 0) this.failures.delete(key);
    }
  }
}
