package dev.twelvefactor.tomcat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * The requests of a server on its way out. While the application's readiness is
 * {@link ReadinessState#REFUSING_TRAFFIC refusing traffic}, every response on the
 * application's port closes its connection, so that a keep-alive client opens a new one,
 * which a load balancer that took the replica out sends elsewhere. When the graceful
 * timeout is over, {@link #cutOff()} has every request still running, or still waiting
 * for admission, answered {@code 503} with {@code Connection: close}, rather than dropped
 * with its connection when the server stops.
 * <p>
 * The cut-off needs no wake-up of the requests waiting for admission: the running
 * requests it answers give back their slots, and each waiting request admitted after the
 * cut-off is answered at once and gives its slot to the next.
 *
 * @author twelvefactor
 */
public final class RequestDrain implements ApplicationListener<AvailabilityChangeEvent<?>> {

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final AdmissionControl admission;

	private final LongAdder closedConnections = new LongAdder();

	private final LongAdder cutOffRequests = new LongAdder();

	private final AtomicInteger answersPending = new AtomicInteger();

	private volatile boolean closingConnections;

	private volatile boolean cutOff;

	/**
	 * Create a drain of the requests that the given admission control admits.
	 * @param admission the admission control
	 */
	public RequestDrain(AdmissionControl admission) {
		this.admission = admission;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() instanceof ReadinessState readiness) {
			this.closingConnections = readiness == ReadinessState.REFUSING_TRAFFIC;
		}
	}

	/**
	 * Whether responses close their connection: the readiness refuses traffic.
	 * @return whether to close connections
	 */
	boolean isClosingConnections() {
		return this.closingConnections;
	}

	void connectionClosed() {
		this.closedConnections.increment();
	}

	/**
	 * Return how many responses closed their connection because the readiness refused
	 * traffic.
	 * @return the number of connections closed
	 */
	public long closedConnections() {
		return this.closedConnections.sum();
	}

	/**
	 * Whether the requests left are answered {@code 503} rather than served.
	 * @return whether the drain is over
	 */
	boolean isCutOff() {
		return this.cutOff;
	}

	/**
	 * Record that a request is being answered at the cut-off.
	 */
	void answering() {
		this.cutOffRequests.increment();
		this.answersPending.incrementAndGet();
	}

	/**
	 * Record that the answer of a request at the cut-off was written, or given up.
	 */
	void answered() {
		this.answersPending.decrementAndGet();
	}

	/**
	 * Wait until no request is running or waiting for admission, for at most the given
	 * time.
	 * @param timeout the longest time to wait
	 * @return whether every request was served
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		return this.admission.awaitIdle(timeout);
	}

	/**
	 * Answer every request still running or waiting for admission {@code 503} with
	 * {@code Connection: close}, and every request that arrives from now on, and wait, for
	 * at most the given time, until the answers are written.
	 * @param timeout the longest time to wait for the answers
	 * @return how many requests were answered so far
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public int cutOff(Duration timeout) throws InterruptedException {
		this.cutOff = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!isAnswered()) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				break;
			}
			// The watchdog takes the running requests within its period: poll
			TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL_NANOS));
		}
		return cutOffRequests();
	}

	private boolean isAnswered() {
		if (this.admission.waiting() > 0 || this.answersPending.get() > 0) {
			return false;
		}
		for (InFlightRequest request : this.admission.requests()) {
			if (request.isUnanswered()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return how many requests were answered {@code 503} at the cut-off.
	 * @return the requests cut off
	 */
	public int cutOffRequests() {
		return this.cutOffRequests.intValue();
	}

	/**
	 * Return how many requests are running or waiting for admission.
	 * @return the requests in flight
	 */
	public int inFlight() {
		return this.admission.inFlight() + this.admission.waiting();
	}

}
