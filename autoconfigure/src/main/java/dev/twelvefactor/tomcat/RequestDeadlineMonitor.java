package dev.twelvefactor.tomcat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Live figures of the requests the embedded Tomcat is processing: how many are in flight,
 * how many ran past the request deadline, and which handler threads ignored the interrupt
 * they got at their deadline.
 *
 * @author twelvefactor
 */
public final class RequestDeadlineMonitor {

	/**
	 * How long a thread that was interrupted at its request's deadline may take to leave
	 * the request before it counts as stuck.
	 */
	static final Duration STUCK_GRACE = Duration.ofSeconds(1);

	private final Set<InFlightRequest> requests = ConcurrentHashMap.newKeySet();

	private final LongAdder deadlinesHit = new LongAdder();

	private final ReentrantLock idleLock = new ReentrantLock();

	private final Condition idle = this.idleLock.newCondition();

	/**
	 * Create a monitor with nothing in flight.
	 */
	public RequestDeadlineMonitor() {
	}

	/**
	 * Return the number of requests in flight: arrived and not yet completed, including
	 * asynchronous requests until they complete.
	 * @return the requests in flight
	 */
	public int inFlight() {
		return this.requests.size();
	}

	/**
	 * Return how many requests ran past their deadline since the server started.
	 * @return the number of deadlines hit
	 */
	public long deadlinesHit() {
		return this.deadlinesHit.sum();
	}

	/**
	 * Return the number of threads still processing a request that ran past its deadline
	 * although they were interrupted at that deadline more than a second ago: threads
	 * that ignore interrupts, such as a loop or non-interruptible I/O.
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
	 * Wait until no request is in flight, for at most the given time.
	 * @param timeout the longest time to wait
	 * @return whether no request is in flight
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.idleLock.lock();
		try {
			while (!this.requests.isEmpty()) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.idle.awaitNanos(nanos);
			}
			return true;
		}
		finally {
			this.idleLock.unlock();
		}
	}

	void add(InFlightRequest request) {
		this.requests.add(request);
	}

	void remove(InFlightRequest request) {
		if (this.requests.remove(request) && this.requests.isEmpty()) {
			// Signalled under the lock after the removal, so that a thread in awaitIdle
			// either sees the empty set or is already waiting: no lost wake-up.
			this.idleLock.lock();
			try {
				this.idle.signalAll();
			}
			finally {
				this.idleLock.unlock();
			}
		}
	}

	void deadlineHit() {
		this.deadlinesHit.increment();
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

}
