package dev.twelvefactor.lifecycle;

import java.time.Duration;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the application stops, after graceful shutdown has drained the requests
 * in flight, as Gunicorn's {@code on_exit}. Unlike {@code ContextClosedEvent}, which comes
 * before the drain, it can tell how the drain went.
 *
 * @author twelvefactor
 */
public class ServerExitEvent extends ApplicationEvent {

	private final int requestsInFlight;

	private final Duration drainTime;

	/**
	 * Create a new event.
	 * @param context the application context
	 * @param requestsInFlight the requests in flight when the stop began
	 * @param drainTime how long the drain took
	 */
	public ServerExitEvent(ApplicationContext context, int requestsInFlight, Duration drainTime) {
		super(context);
		this.requestsInFlight = requestsInFlight;
		this.drainTime = drainTime;
	}

	/**
	 * Return how many requests were in flight when the stop began.
	 * @return the requests in flight
	 */
	public int getRequestsInFlight() {
		return this.requestsInFlight;
	}

	/**
	 * Return how long the graceful drain took.
	 * @return the drain time
	 */
	public Duration getDrainTime() {
		return this.drainTime;
	}

}
