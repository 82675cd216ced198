package dev.twelvefactor.lifecycle;

import java.time.Duration;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the application stops, after graceful shutdown has drained the requests
 * in flight, as Gunicorn's {@code on_exit}. Unlike {@code ContextClosedEvent}, which comes
 * before the drain, it can tell how the stop went, in its two phases: the drain delay,
 * when the server went on serving after SIGTERM while load balancers took it out, and the
 * graceful shutdown, when the requests in flight were served, or answered {@code 503} when
 * the graceful timeout was over.
 *
 * @author twelvefactor
 */
public class ServerExitEvent extends ApplicationEvent {

	private final Duration drainDelay;

	private final long connectionsClosed;

	private final int requestsInFlight;

	private final int requestsCutOff;

	private final Duration drainTime;

	/**
	 * Create a new event for a stop without a drain delay, where every request was
	 * served.
	 * @param context the application context
	 * @param requestsInFlight the requests in flight when the graceful shutdown began
	 * @param drainTime how long the graceful shutdown took
	 */
	public ServerExitEvent(ApplicationContext context, int requestsInFlight, Duration drainTime) {
		this(context, Duration.ZERO, 0, requestsInFlight, 0, drainTime);
	}

	/**
	 * Create a new event.
	 * @param context the application context
	 * @param drainDelay how long the server went on serving after SIGTERM
	 * @param connectionsClosed how many responses closed their connection because the
	 * readiness refused traffic, before the graceful shutdown began
	 * @param requestsInFlight the requests running or waiting for admission when the
	 * graceful shutdown began
	 * @param requestsCutOff the requests answered {@code 503} when the graceful timeout
	 * was over
	 * @param drainTime how long the graceful shutdown took
	 */
	public ServerExitEvent(ApplicationContext context, Duration drainDelay, long connectionsClosed,
			int requestsInFlight, int requestsCutOff, Duration drainTime) {
		super(context);
		this.drainDelay = drainDelay;
		this.connectionsClosed = connectionsClosed;
		this.requestsInFlight = requestsInFlight;
		this.requestsCutOff = requestsCutOff;
		this.drainTime = drainTime;
	}

	/**
	 * Return how long the server went on serving after SIGTERM, before the graceful
	 * shutdown: the drain delay, or less when a second signal cut it short.
	 * @return the time spent in the drain delay, zero when there was none
	 */
	public Duration getDrainDelay() {
		return this.drainDelay;
	}

	/**
	 * Return how many responses closed their connection, because the readiness refused
	 * traffic, before the graceful shutdown began.
	 * @return the connections closed during the drain delay
	 */
	public long getConnectionsClosed() {
		return this.connectionsClosed;
	}

	/**
	 * Return how many requests were running or waiting for admission when the graceful
	 * shutdown began.
	 * @return the requests in flight
	 */
	public int getRequestsInFlight() {
		return this.requestsInFlight;
	}

	/**
	 * Return how many requests were served by the graceful shutdown: those in flight when
	 * it began, but for the ones cut off.
	 * @return the requests drained
	 */
	public int getRequestsDrained() {
		return Math.max(0, this.requestsInFlight - this.requestsCutOff);
	}

	/**
	 * Return how many requests were still running, or waiting for admission, when the
	 * graceful timeout was over, and were answered {@code 503} with
	 * {@code Connection: close}.
	 * @return the requests cut off
	 */
	public int getRequestsCutOff() {
		return this.requestsCutOff;
	}

	/**
	 * Return how long the graceful shutdown took.
	 * @return the drain time
	 */
	public Duration getDrainTime() {
		return this.drainTime;
	}

}
