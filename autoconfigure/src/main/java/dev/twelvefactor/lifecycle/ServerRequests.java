package dev.twelvefactor.lifecycle;

import java.time.Duration;

/**
 * The requests of the running server, as its stop needs them: how many are in flight,
 * waiting until they are served, answering those left when the graceful timeout is over,
 * and how many connections were closed while the readiness refused traffic.
 *
 * @author twelvefactor
 */
public interface ServerRequests {

	/**
	 * Return how many requests are running or waiting for admission.
	 * @return the requests in flight
	 */
	int inFlight();

	/**
	 * Wait until no request is running or waiting for admission, for at most the given
	 * time.
	 * @param timeout the longest time to wait
	 * @return whether every request was served
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	boolean awaitIdle(Duration timeout) throws InterruptedException;

	/**
	 * Answer every request still running or waiting {@code 503} with
	 * {@code Connection: close}, and wait, for at most the given time, until the answers
	 * are written.
	 * @param timeout the longest time to wait for the answers
	 * @return how many requests were answered
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	int cutOff(Duration timeout) throws InterruptedException;

	/**
	 * Return how many responses closed their connection because the readiness refused
	 * traffic.
	 * @return the connections closed
	 */
	long closedConnections();

}
