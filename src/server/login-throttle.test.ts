import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('refuses after max failures in the window, until the oldest ages out; a success clears', () => {
    let now = 0;
    const throttle = new LoginThrottle(2, 60_000, () => now);
    throttle.failed('anna|1.2.3.4');
    now = 10_000;
    throttle.failed('anna|1.2.3.4');
    expect(() => throttle.check('anna|1.2.3.4')).toThrow(/try again in 1 min/);
    expect(() => throttle.check('anna|5.6.7.8')).not.toThrow();
    now = 60_001; // the first failure is out of the window
    expect(() => throttle.check('anna|1.2.3.4')).not.toThrow();
    throttle.failed('anna|1.2.3.4');
    expect(() => throttle.check('anna|1.2.3.4')).toThrow();
    throttle.succeeded('anna|1.2.3.4');
    expect(() => throttle.check('anna|1.2.3.4')).not.toThrow();
  });
});
