package dev.twelvefactor.tomcat;

import org.jspecify.annotations.Nullable;

/**
 * An admission limit that adapts to the load between a floor and a ceiling, by climbing
 * towards the limit where the server's throughput stops growing.
 * <p>
 * Every decision compares the throughput of the interval just ended with the one before
 * the last move. A move up that raised throughput by at least {@value #GAIN_PERCENT}% (the
 * handlers wait on I/O: more of them at once serve more) is kept, and the next move goes
 * further, in steps that double up to half the limit; one that did not is undone, and the
 * limit holds a few intervals before it probes again. A move down that cost less than
 * {@value #LOSS_PERCENT}% of throughput (more at once only queued on the cores or on what
 * the handlers wait for) is kept likewise. When the CPU the server runs on is saturated,
 * the limit goes down without probing up: more requests at once can only queue on the
 * cores. When the limit is not what holds requests back (none waits and fewer than the
 * limit run), it holds: there is nothing to learn.
 * <p>
 * Why not a latency estimator (Netflix's Gradient2, Vegas, Envoy's gradient filter): on a
 * server, handlers of a CPU-bound service take longer as more run at once, which is the
 * queuing such estimators detect, but only against a no-load latency they must sample; it
 * drifts with the mix of endpoints and goes stale when the workload changes, so that the
 * limit climbs to its maximum or starves I/O-bound work. Throughput and CPU, which the
 * server measures exactly, tell both bottlenecks apart: CPU saturation, and a resource the
 * handlers wait for, where more at once no longer serves more.
 * <p>
 * Not thread-safe: the deadline watchdog alone calls {@link #update}.
 *
 * @author twelvefactor
 */
final class AdaptiveLimit {

	static final int GAIN_PERCENT = 5;

	static final int LOSS_PERCENT = 5;

	private static final double GAIN = GAIN_PERCENT / 100.0;

	private static final double LOSS = LOSS_PERCENT / 100.0;

	private static final double MIN_STEP = 0.1;

	private static final double MAX_STEP = 0.5;

	private static final int HOLD_AFTER_UNDO = 4;

	private static final double CPU_SATURATED = 0.9;

	private final int min;

	private final int max;

	private int limit;

	private double step = MIN_STEP;

	private int direction = 1;

	private int hold;

	private @Nullable Move move;

	AdaptiveLimit(int min, int max) {
		this.min = min;
		this.max = Math.max(min, max);
		this.limit = min;
	}

	int min() {
		return this.min;
	}

	int max() {
		return this.max;
	}

	int limit() {
		return this.limit;
	}

	/**
	 * Decide the limit from what the interval just ended saw.
	 * @param throughput requests completed per second
	 * @param busy whether the limit held requests back: some waited, or as many as the
	 * limit ran at once
	 * @param cpu the share of the CPU in use, from 0 to 1, or {@code NaN} when unknown
	 * @return the limit for the next interval
	 */
	int update(double throughput, boolean busy, double cpu) {
		boolean saturated = cpu >= CPU_SATURATED;
		if (!busy && !saturated) {
			this.move = null;
			this.step = MIN_STEP;
			return this.limit;
		}
		Move move = this.move;
		if (move != null) {
			this.move = null;
			boolean kept = (move.direction > 0) ? throughput >= move.throughput * (1 + GAIN)
					: throughput >= move.throughput * (1 - LOSS);
			if (kept) {
				this.step = Math.min(MAX_STEP, this.step * 2);
			}
			else {
				// Undo, and try the other way after a while
				this.limit = move.from;
				this.direction = -move.direction;
				this.step = MIN_STEP;
				this.hold = HOLD_AFTER_UNDO;
				return this.limit;
			}
		}
		if (saturated) {
			this.direction = -1;
			this.hold = 0;
		}
		if (this.hold > 0) {
			this.hold--;
			return this.limit;
		}
		int next = next();
		if (next == this.limit) {
			// At the floor or the ceiling: probe the other way next time
			this.direction = -this.direction;
			this.step = MIN_STEP;
			this.hold = HOLD_AFTER_UNDO;
			return this.limit;
		}
		this.move = new Move(this.limit, throughput, this.direction);
		this.limit = next;
		return this.limit;
	}

	private int next() {
		int next = (this.direction > 0) ? Math.max(this.limit + 1, (int) Math.ceil(this.limit * (1 + this.step)))
				: Math.min(this.limit - 1, (int) Math.floor(this.limit * (1 - this.step)));
		return Math.max(this.min, Math.min(this.max, next));
	}

	/**
	 * A move of the limit, to be judged by the throughput that follows.
	 */
	private record Move(int from, double throughput, int direction) {

	}

}
