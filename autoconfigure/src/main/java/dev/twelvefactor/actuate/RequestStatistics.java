package dev.twelvefactor.actuate;

import java.time.Duration;

/**
 * Live figures of the requests the server is handling, as admission control and the
 * request deadline see them. When a bean of this type exists, the {@code twelvefactor}
 * endpoint and the meters show them; otherwise they are left out.
 *
 * @author twelvefactor
 */
interface RequestStatistics {

	/**
	 * Return the admission limit: how many requests may run their handlers at once.
	 * @return the limit
	 */
	int limit();

	/**
	 * Return the number of requests admitted and running their handlers now.
	 * @return the requests in flight
	 */
	int inFlight();

	/**
	 * Return the number of requests waiting for admission now.
	 * @return the requests waiting
	 */
	int waiting();

	/**
	 * Return the number of requests answered 503 without being admitted because as many
	 * as the backlog were waiting already, since the server started.
	 * @return the requests shed
	 */
	long shedBacklogFull();

	/**
	 * Return the number of requests answered 503 without being admitted because they
	 * waited as long as they may, since the server started.
	 * @return the requests shed
	 */
	long shedWaitedTooLong();

	/**
	 * Return the number of requests admitted after waiting, since the server started.
	 * @return the waits
	 */
	long queueWaits();

	/**
	 * Return how long the requests admitted after waiting waited in all.
	 * @return the total wait
	 */
	Duration totalQueueWait();

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
