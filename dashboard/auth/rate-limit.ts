/**
 * Limits failed logins in memory: per address and login (guessing one password), and per address
 * (trying many logins). A success clears the address-and-login counter.
 */
export type LoginLimits = {
  /** Failures allowed per address and login within the window. */
  perLogin: number;
  /** Failures allowed per address within the window. */
  perAddress: number;
  windowMs: number;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perLogin: 5, perAddress: 30, windowMs: 15 * 60 * 1000 };

type Window = { failures: number; startedAt: number };

export class LoginRateLimiter {
  readonly #limits: LoginLimits;
  readonly #windows = new Map<string, Window>();

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.#limits = limits;
  }

  /** Milliseconds until `address` may try `login` again; 0 when it may try now. */
  retryAfterMs(address: string, login: string, now = Date.now()): number {
    const waits = [
      this.#wait(`login:${address}:${login.toLowerCase()}`, this.#limits.perLogin, now),
      this.#wait(`address:${address}`, this.#limits.perAddress, now),
    ];
    return Math.max(...waits);
  }

  recordFailure(address: string, login: string, now = Date.now()): void {
    for (const key of [`login:${address}:${login.toLowerCase()}`, `address:${address}`]) {
      const window = this.#current(key, now) ?? { failures: 0, startedAt: now };
      window.failures += 1;
      this.#windows.set(key, window);
    }
    this.#prune(now);
  }

  recordSuccess(address: string, login: string): void {
    this.#windows.delete(`login:${address}:${login.toLowerCase()}`);
  }

  #wait(key: string, limit: number, now: number): number {
    const window = this.#current(key, now);
    if (!window || window.failures < limit) return 0;
    return window.startedAt + this.#limits.windowMs - now;
  }

  #current(key: string, now: number): Window | undefined {
    const window = this.#windows.get(key);
    if (window && now - window.startedAt >= this.#limits.windowMs) {
      this.#windows.delete(key);
      return undefined;
    }
    return window;
  }

  // Bounded memory under a flood of distinct logins: expired windows go on every failure.
  #prune(now: number): void {
    if (this.#windows.size < 10_000) return;
    for (const key of [...this.#windows.keys()]) this.#current(key, now);
  }
}
