package dev.twelvefactor.tomcat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Admission control of the requests the embedded Tomcat serves: at most {@link #limit()}
 * run their handlers at once, whatever the threads (Gunicorn's workers x threads); the
 * others wait for a slot, at most {@code backlog} of them and each for at most the wait
 * bound, and are answered {@code 503} past either. Keeps the live figures: requests in
 * flight and waiting, requests shed, the wait for admission, deadlines hit, and the threads
 * abandoned past their deadline.
 * <p>
 * A request's slot is released when its handler returns or, for a handler that runs past
 * its deadline, when the request is answered at that deadline, so that a stuck thread no
 * longer holds a slot: it is counted as stuck instead, until it returns.
 *
 * @author twelvefactor
 */
public final class AdmissionControl {

	/**
	 * How long a thread that was interrupted at its request's deadline may take to leave
	 * the request before it counts as stuck.
	 */
	static final Duration STUCK_GRACE = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(AdmissionControl.class);

	/**
	 * How often an adaptive limit decides, and how many requests it wants to see
	 * complete before it does (it waits longer for fewer).
	 */
	static final Duration ADAPT_INTERVAL = Duration.ofMillis(500);

	private static final long ADAPT_INTERVAL_NANOS = ADAPT_INTERVAL.toNanos();

	private static final long ADAPT_LONGEST_INTERVAL_NANOS = 10 * ADAPT_INTERVAL_NANOS;

	private static final int ADAPT_MIN_COMPLETIONS = 10;

	private final Slots slots;

	private final @Nullable AdaptiveLimit adaptive;

	private final CpuLoad cpu;

	private final AtomicInteger completions = new AtomicInteger();

	private final AtomicInteger peakAdmitted = new AtomicInteger();

	private final AtomicInteger peakWaiting = new AtomicInteger();

	private long intervalStart = System.nanoTime();

	private int loggedLimit;

	private final int backlog;

	private final long maxWaitNanos;


	private final Consumer<Boolean> liveness;

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicInteger admitted = new AtomicInteger();

	private final Set<InFlightRequest> requests = ConcurrentHashMap.newKeySet();

	private final LongAdder deadlinesHit = new LongAdder();

	private final LongAdder shedBacklogFull = new LongAdder();

	private final LongAdder shedWaitedTooLong = new LongAdder();

	private final LongAdder queueWaits = new LongAdder();

	private final LongAdder queueWaitNanos = new LongAdder();

	private final ReentrantLock idleLock = new ReentrantLock();

	private final Condition idle = this.idleLock.newCondition();

	private final AtomicInteger idleWaiters = new AtomicInteger();

	private volatile boolean live = true;

	/**
	 * Create admission control with a fixed limit.
	 * @param limit how many requests may run their handlers at once
	 * @param backlog how many requests may wait for admission
	 * @param maxWait how long a request may wait for admission
	 * @param liveness told {@code false} when more threads than the limit are stuck past
	 * their deadline, so that the application can be restarted, and {@code true} when they
	 * are back under it
	 */
	public AdmissionControl(int limit, int backlog, Duration maxWait, Consumer<Boolean> liveness) {
		this(limit, null, backlog, maxWait, liveness, CpuLoad.NONE);
	}

	private AdmissionControl(int limit, @Nullable AdaptiveLimit adaptive, int backlog, Duration maxWait,
			Consumer<Boolean> liveness, CpuLoad cpu) {
		this.slots = new Slots(limit);
		this.adaptive = adaptive;
		this.backlog = backlog;
		this.maxWaitNanos = maxWait.toNanos();
		this.liveness = liveness;
		this.cpu = cpu;
		this.loggedLimit = limit;
	}

	/**
	 * Create admission control with a limit that adapts to the load between the given
	 * bounds, starting from the smaller.
	 * @param min the smallest limit
	 * @param max the largest limit
	 * @param backlog how many requests may wait for admission
	 * @param maxWait how long a request may wait for admission
	 * @param liveness told {@code false} when more threads than the limit are stuck past
	 * their deadline, and {@code true} when they are back under it
	 * @return the admission control
	 */
	public static AdmissionControl adaptive(int min, int max, int backlog, Duration maxWait,
			Consumer<Boolean> liveness) {
		return adaptive(new AdaptiveLimit(min, max), backlog, maxWait, liveness, CpuLoad.ofThisProcess());
	}

	static AdmissionControl adaptive(AdaptiveLimit limit, int backlog, Duration maxWait, Consumer<Boolean> liveness,
			CpuLoad cpu) {
		return new AdmissionControl(limit.limit(), limit, backlog, maxWait, liveness, cpu);
	}

	/**
	 * Take a slot for a request that arrived at the given time, waiting for one if
	 * needed: at most the wait bound from its arrival, and only if fewer than the backlog
	 * wait already.
	 * @param arrivalNanos when the request arrived, in {@link System#nanoTime()} terms
	 * @return whether the request was admitted, or why not
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	Admission admit(long arrivalNanos) throws InterruptedException {
		if (this.slots.tryAcquire()) {
			admitted();
			return Admission.ADMITTED;
		}
		int waiting = this.waiting.incrementAndGet();
		if (waiting > this.backlog) {
			this.waiting.decrementAndGet();
			this.shedBacklogFull.increment();
			return Admission.BACKLOG_FULL;
		}
		if (this.adaptive != null) {
			this.peakWaiting.accumulateAndGet(waiting, Math::max);
		}
		try {
			long remaining = arrivalNanos + this.maxWaitNanos - System.nanoTime();
			if (remaining > 0 && this.slots.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
				admitted();
				this.queueWaits.increment();
				this.queueWaitNanos.add(System.nanoTime() - arrivalNanos);
				return Admission.ADMITTED;
			}
			this.shedWaitedTooLong.increment();
			return Admission.WAITED_TOO_LONG;
		}
		finally {
			this.waiting.decrementAndGet();
			signalIfIdle();
		}
	}

	private void admitted() {
		int admitted = this.admitted.incrementAndGet();
		if (this.adaptive != null) {
			this.peakAdmitted.accumulateAndGet(admitted, Math::max);
		}
	}

	/**
	 * Give back the slot of an admitted request.
	 * @param completed whether its handler completed it, rather than its deadline
	 */
	void release(boolean completed) {
		this.admitted.decrementAndGet();
		this.slots.release();
		if (completed && this.adaptive != null) {
			this.completions.incrementAndGet();
		}
		signalIfIdle();
	}

	/**
	 * Let an adaptive limit decide, once an interval has passed since its last decision.
	 * Called by the deadline watchdog on each of its rounds.
	 * @param nanoTime the time now
	 */
	void adapt(long nanoTime) {
		AdaptiveLimit adaptive = this.adaptive;
		long elapsed = nanoTime - this.intervalStart;
		if (adaptive == null || elapsed < ADAPT_INTERVAL_NANOS
				|| (this.completions.get() < ADAPT_MIN_COMPLETIONS && elapsed < ADAPT_LONGEST_INTERVAL_NANOS)) {
			return;
		}
		this.intervalStart = nanoTime;
		int completed = this.completions.getAndSet(0);
		int limit = this.slots.limit();
		boolean busy = this.peakWaiting.getAndSet(0) > 0 || this.peakAdmitted.getAndSet(this.admitted.get()) >= limit;
		int next = adaptive.update(completed / (elapsed / 1e9), busy, this.cpu.get());
		if (next != limit) {
			this.slots.setLimit(next);
			if (logger.isDebugEnabled() && (next >= 2 * this.loggedLimit || 2 * next <= this.loggedLimit)) {
				logger.debug("Admission limit " + next + " (was " + this.loggedLimit + "): " + completed
						+ " requests completed in " + Duration.ofNanos(elapsed).toMillis() + " ms");
				this.loggedLimit = next;
			}
		}
	}

	void add(InFlightRequest request) {
		this.requests.add(request);
	}

	void remove(InFlightRequest request) {
		this.requests.remove(request);
		signalIfIdle();
	}

	private void signalIfIdle() {
		// Read after the change, as awaitIdle reads the counts after counting itself in:
		// either it sees the change or this sees it waiting. Taking the lock on every
		// release would make the requests in flight queue for it.
		if (this.idleWaiters.get() > 0 && this.admitted.get() == 0 && this.waiting.get() == 0) {
			// Signalled under the lock, so that a thread in awaitIdle either sees the
			// change or is already waiting: no lost wake-up
			this.idleLock.lock();
			try {
				this.idle.signalAll();
			}
			finally {
				this.idleLock.unlock();
			}
		}
	}

	/**
	 * Give back the slot of a request admitted after its deadline passed while it waited:
	 * it is shed, as one that waited too long.
	 */
	void releaseAdmittedTooLate() {
		release(false);
		this.shedWaitedTooLong.increment();
	}

	void deadlineHit() {
		this.deadlinesHit.increment();
	}

	Iterable<InFlightRequest> requests() {
		return this.requests;
	}

	/**
	 * Tell the liveness whether the stuck threads are within the limit, when that
	 * changes. Called by the deadline watchdog on each of its rounds.
	 * @param nanoTime the time now
	 */
	void checkStuckThreads(long nanoTime) {
		int stuck = 0;
		for (InFlightRequest request : this.requests) {
			if (request.isStuck(nanoTime, STUCK_GRACE)) {
				stuck++;
			}
		}
		int threshold = stuckThreshold();
		boolean live = stuck <= threshold;
		if (live != this.live) {
			this.live = live;
			if (live) {
				logger.warn("Stuck threads are back to " + stuck + ", within the limit of " + threshold
						+ ": liveness is correct again");
			}
			else {
				logger.error(stuck + " threads are stuck past their request's deadline, more than the limit of "
						+ threshold + ": liveness is broken, so that the application is restarted");
			}
			this.liveness.accept(live);
		}
	}

	/**
	 * How many stuck threads the liveness tolerates: as many as the requests the server
	 * admits at once at most.
	 */
	private int stuckThreshold() {
		return (this.adaptive != null) ? this.adaptive.max() : this.slots.limit();
	}

	/**
	 * Return the admission limit: how many requests may run their handlers at once now.
	 * @return the limit
	 */
	public int limit() {
		return this.slots.limit();
	}

	/**
	 * Return whether the limit adapts to the load.
	 * @return whether the limit adapts
	 */
	public boolean isAdaptive() {
		return this.adaptive != null;
	}

	/**
	 * Return the number of requests admitted and running their handlers, including
	 * asynchronous requests until they complete. A request answered at its deadline no
	 * longer counts, even when its thread is stuck.
	 * @return the requests in flight
	 */
	public int inFlight() {
		return this.admitted.get();
	}

	/**
	 * Return the number of requests waiting for admission.
	 * @return the requests waiting
	 */
	public int waiting() {
		return this.waiting.get();
	}

	/**
	 * Return how many requests were answered {@code 503} without being admitted since the
	 * server started, for the given reason.
	 * @param reason why they were shed
	 * @return the number of requests shed
	 */
	public long shed(Admission reason) {
		return switch (reason) {
			case BACKLOG_FULL -> this.shedBacklogFull.sum();
			case WAITED_TOO_LONG -> this.shedWaitedTooLong.sum();
			case ADMITTED -> 0;
		};
	}

	/**
	 * Return how many requests were admitted after waiting.
	 * @return the number of waits
	 */
	public long queueWaits() {
		return this.queueWaits.sum();
	}

	/**
	 * Return the total time requests admitted after waiting waited, since they arrived.
	 * @return the total wait
	 */
	public Duration totalQueueWait() {
		return Duration.ofNanos(this.queueWaitNanos.sum());
	}

	/**
	 * Return how many requests ran past their deadline since the server started.
	 * @return the number of deadlines hit
	 */
	public long deadlinesHit() {
		return this.deadlinesHit.sum();
	}

	/**
	 * Return the number of threads still running the handler of a request that was
	 * answered at its deadline and interrupted more than a second ago: threads that ignore
	 * interrupts, such as a loop or non-interruptible I/O.
	 * @return the number of stuck threads
	 */
	public int stuckThreads() {
		return stuckRequests().size();
	}

	/**
	 * Return the requests whose thread is stuck, longest running first.
	 * @return the stuck requests
	 * @see #stuckThreads()
	 */
	public List<StuckRequest> stuckRequests() {
		long now = System.nanoTime();
		List<StuckRequest> stuck = new ArrayList<>();
		for (InFlightRequest request : this.requests) {
			if (request.isStuck(now, STUCK_GRACE)) {
				stuck.add(new StuckRequest(request.method(), request.path(), request.thread().getName(),
						request.elapsed(now)));
			}
		}
		stuck.sort((first, second) -> second.elapsed().compareTo(first.elapsed()));
		return List.copyOf(stuck);
	}

	/**
	 * Wait until no request is admitted or waiting, for at most the given time.
	 * @param timeout the longest time to wait
	 * @return whether no request is admitted or waiting
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.idleLock.lock();
		this.idleWaiters.incrementAndGet();
		try {
			while (this.admitted.get() > 0 || this.waiting.get() > 0) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.idle.awaitNanos(nanos);
			}
			return true;
		}
		finally {
			this.idleWaiters.decrementAndGet();
			this.idleLock.unlock();
		}
	}

	/**
	 * Whether a request was admitted, or why not.
	 */
	public enum Admission {

		/**
		 * Admitted: it runs its handler.
		 */
		ADMITTED,

		/**
		 * Shed: as many requests as the backlog were waiting already.
		 */
		BACKLOG_FULL,

		/**
		 * Shed: it waited for admission as long as it may.
		 */
		WAITED_TOO_LONG

	}

	/**
	 * A request whose handler thread did not stop when it was interrupted at the request's
	 * deadline.
	 *
	 * @param method the HTTP method
	 * @param path the request path, without the query
	 * @param thread the name of the handler thread
	 * @param elapsed the time since the request arrived
	 */
	public record StuckRequest(String method, String path, String thread, Duration elapsed) {

	}

	/**
	 * The slots, a fair semaphore: a slot that frees up goes to the request that has
	 * waited longest. The limit changes by adding permits, or by taking them away, which
	 * admits no one until as many requests as were taken have given theirs back.
	 */
	private static final class Slots extends Semaphore {

		private volatile int limit;

		Slots(int limit) {
			super(limit, true);
			this.limit = limit;
		}

		int limit() {
			return this.limit;
		}

		void setLimit(int limit) {
			int change = limit - this.limit;
			this.limit = limit;
			if (change > 0) {
				release(change);
			}
			else if (change < 0) {
				reducePermits(-change);
			}
		}

		@Override
		public boolean tryAcquire() {
			try {
				// Unlike tryAcquire(), honours the fairness: no barging past waiting requests
				return tryAcquire(0, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

	}

}
