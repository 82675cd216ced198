package dev.twelvefactor.actuate;

/**
 * Live figures of the requests the server is handling, as the request deadline sees them.
 * When a bean of this type exists, the {@code twelvefactor} endpoint and the meters show
 * them; otherwise they are left out.
 *
 * @author twelvefactor
 */
public interface RequestStatistics {

	/**
	 * Return the number of requests being handled now.
	 * @return the requests in flight
	 */
	int inFlight();

	/**
	 * Return the number of requests cut off at their deadline since the server started.
	 * @return the deadlines hit
	 */
	long deadlinesHit();

	/**
	 * Return the number of request threads still running after their request's deadline
	 * because they ignored the interrupt.
	 * @return the stuck threads
	 */
	int stuckThreads();

}
