// When a reliable stream asks again for a number it is missing: once per wait, the first wait `holeTimeoutMs` times
// 1 to 2 (jitter), each next one twice as long up to MAX_HOLE_DELAY_MS (times 1 to 2). Frames that arrive meanwhile do
// not restart the wait, and the members of a group that all see the same hole (an async fan-out reaching them over
// minutes, after later messages) spread their resumes over a whole `holeTimeoutMs` instead of sending them at once.

/** However often a number was asked for, the next ask waits at most this long before its jitter. */
export const MAX_HOLE_DELAY_MS = 60000;

/** The wait for one missing number of one stream, and its asks. */
export class Hole {
  /**
   * Starts waiting for `seq`; `ask` runs after each wait, until stopped.
   * @param {number} seq the missing number
   * @param {{ holeTimeoutMs: number, random: () => number }} options
   * @param {() => void} ask
   */
  constructor(seq, options, ask) {
    this.seq = seq;
    this.options = options;
    this.ask = ask;
    /** How many times it was asked for. */
    this.attempt = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    this.wait();
  }

  /** How long the next wait is: `holeTimeoutMs` doubled per ask so far, capped, times 1 to 2. */
  delay() {
    const base = Math.min(this.options.holeTimeoutMs * 2 ** this.attempt, MAX_HOLE_DELAY_MS);
    return base * (1 + this.options.random());
  }

  wait() {
    this.timer = setTimeout(() => {
      this.attempt += 1;
      this.wait();
      this.ask();
    }, this.delay());
  }

  stop() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
