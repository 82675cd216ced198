package dev.twelvefactor.tomcat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.catalina.connector.Response;

/**
 * One admitted request until it completes, and the state shared between its handler
 * thread and the deadline watchdog of {@link RequestAdmissionValve}.
 * <p>
 * Thread safety. The handler thread and the watchdog race for the request when its
 * deadline comes; {@link #state} decides the race. {@code RUNNING} is left exactly once,
 * by compare-and-set: to {@code COMPLETED} by the handler thread when it leaves the valve
 * in time, or to {@code TIMED_OUT} by the watchdog. The loser backs off: a completed
 * request is never answered by the watchdog, and a handler that finishes too late waits
 * until the watchdog side is {@code SETTLED} (answered or aborted, then interrupted the
 * thread) before Tomcat goes on with the response and reuses the thread. That wait also
 * orders everything the watchdog did to Tomcat's response before what the handler thread
 * does next.
 * <p>
 * While the handler is still running, its writes to the response go through
 * {@link RequestDeadlineResponseWrapper}, which holds {@link #output} for each call. The
 * watchdog side holds the same lock while it looks at whether the response is committed
 * and writes the {@code 503}, so the two never write to Tomcat's response at the same
 * time: a handler write either finished before (and may have committed the response) or
 * starts after and is discarded, because the state is no longer {@code RUNNING}. The
 * handler thread is interrupted only once the answer is written, so that its reaction to
 * the interrupt does not race with the answer either. What Tomcat itself does to the
 * response on the handler thread inside the valve but outside the wrapper (setting the
 * status when the servlet throws, acknowledging {@code Expect: 100-continue}) is not
 * covered; it can only meet the watchdog if it happens at the very moment of the deadline.
 *
 * @author twelvefactor
 */
final class InFlightRequest {

	private static final int RUNNING = 0;

	private static final int COMPLETED = 1;

	private static final int TIMED_OUT = 2;

	private static final int SETTLED = 3;

	private final AtomicInteger state = new AtomicInteger(RUNNING);

	private final ReentrantLock output = new ReentrantLock();

	private final Condition settled = this.output.newCondition();

	private final Response response;

	private final Thread thread;

	private final long arrivalNanos;

	private final long deadlineNanos;

	private final String method;

	private final String path;

	private volatile long interruptedNanos;

	private volatile boolean aborted;

	/**
	 * Create a request.
	 * @param method the HTTP method
	 * @param path the request path, without the query
	 * @param response the response
	 * @param thread the handler thread
	 * @param arrivalNanos when the request arrived, in {@link System#nanoTime()} terms
	 * @param timeoutNanos its timeout from its arrival, 0 for none
	 */
	InFlightRequest(String method, String path, Response response, Thread thread, long arrivalNanos,
			long timeoutNanos) {
		this.method = method;
		this.path = path;
		this.response = response;
		this.thread = thread;
		this.arrivalNanos = arrivalNanos;
		this.deadlineNanos = (timeoutNanos > 0) ? arrivalNanos + timeoutNanos : 0;
	}

	Response response() {
		return this.response;
	}

	Thread thread() {
		return this.thread;
	}

	String method() {
		return this.method;
	}

	String path() {
		return this.path;
	}

	long arrivalNanos() {
		return this.arrivalNanos;
	}

	Duration elapsed(long nanoTime) {
		return Duration.ofNanos(nanoTime - this.arrivalNanos);
	}

	/**
	 * Whether the request is still running past its deadline, at the given time.
	 * @param nanoTime the time now
	 * @return whether the watchdog should take it
	 */
	boolean isPastDeadline(long nanoTime) {
		return this.deadlineNanos != 0 && this.state.get() == RUNNING && nanoTime - this.deadlineNanos >= 0;
	}

	/**
	 * Whether the handler is still running the request, not past its deadline.
	 * @return whether the request is running
	 */
	boolean isRunning() {
		return this.state.get() == RUNNING;
	}

	/**
	 * Whether the request is neither completed by its handler nor answered by the
	 * watchdog yet.
	 * @return whether the request still waits for its answer
	 */
	boolean isUnanswered() {
		int state = this.state.get();
		return state == RUNNING || state == TIMED_OUT;
	}

	/**
	 * Mark the request completed by its handler thread.
	 * @return {@code true} if it completed in time; {@code false} if the watchdog took it
	 */
	boolean complete() {
		return this.state.compareAndSet(RUNNING, COMPLETED);
	}

	/**
	 * Mark the request timed out, by the watchdog at its deadline.
	 * @return {@code true} if it was still running; {@code false} if it completed in time
	 */
	boolean timeOut() {
		return this.state.compareAndSet(RUNNING, TIMED_OUT);
	}

	/**
	 * Run one output call of the handler, unless the request timed out, in which case the
	 * call is discarded.
	 * @param call the output call
	 * @throws IOException if the call fails
	 */
	void output(OutputCall call) throws IOException {
		if (this.state.get() >= TIMED_OUT) {
			return;
		}
		this.output.lock();
		try {
			if (this.state.get() < TIMED_OUT) {
				call.run();
			}
		}
		finally {
			this.output.unlock();
		}
	}

	/**
	 * Obtain something from the response under the output lock, whatever the state.
	 * @param <T> the type of the result
	 * @param call the call
	 * @return the result of the call
	 * @throws IOException if the call fails
	 */
	<T> T locked(LockedCall<T> call) throws IOException {
		this.output.lock();
		try {
			return call.get();
		}
		finally {
			this.output.unlock();
		}
	}

	/**
	 * Whether output calls are discarded.
	 * @return whether the request timed out
	 */
	boolean isTimedOut() {
		return this.state.get() >= TIMED_OUT;
	}

	/**
	 * Answer the timed-out request, then interrupt its handler thread, holding the output
	 * lock so that no handler output call runs at the same time. Called once, after
	 * {@link #timeOut()} succeeded, on a thread other than the handler's.
	 * @param answer what to send, which returns whether it aborted a committed response
	 * @param report what to do once the request is answered and its thread interrupted,
	 * before the handler thread may go on
	 */
	void settle(Answer answer, Runnable report) {
		boolean interrupted = false;
		if (!this.output.tryLock()) {
			// The handler is in the middle of an output call, most likely a write that
			// committed the response. Interrupt it now rather than when the call returns,
			// which takes up to Tomcat's write timeout if the client does not read.
			interrupt();
			interrupted = true;
			this.output.lock();
		}
		try {
			try {
				this.aborted = answer.send();
			}
			finally {
				// Interrupt only now: a handler reacting to the interrupt must not race
				// with the answer being written.
				if (!interrupted) {
					interrupt();
				}
				try {
					report.run();
				}
				finally {
					this.state.set(SETTLED);
					this.settled.signalAll();
				}
			}
		}
		finally {
			this.output.unlock();
		}
	}

	private void interrupt() {
		this.thread.interrupt();
		this.interruptedNanos = System.nanoTime();
	}

	/**
	 * Wait, on the handler thread, until the watchdog settled the timed-out request, then
	 * clear the interrupt it sent, so that it does not leak into the thread's next request.
	 */
	void awaitSettled() {
		this.output.lock();
		try {
			while (this.state.get() != SETTLED) {
				this.settled.awaitUninterruptibly();
			}
		}
		finally {
			this.output.unlock();
		}
		Thread.interrupted();
	}

	/**
	 * Whether the response had been committed at the deadline, so that the connection
	 * must be aborted rather than answered.
	 * @return whether the response was aborted
	 */
	boolean isAborted() {
		return this.aborted;
	}

	boolean isStuck(long nanoTime, Duration grace) {
		// interruptedNanos is written before the state becomes SETTLED
		return this.state.get() == SETTLED && nanoTime - this.interruptedNanos >= grace.toNanos();
	}

	/**
	 * An output call of the handler.
	 */
	@FunctionalInterface
	interface OutputCall {

		void run() throws IOException;

	}

	/**
	 * A call of the handler that returns a result.
	 *
	 * @param <T> the type of the result
	 */
	@FunctionalInterface
	interface LockedCall<T> {

		T get() throws IOException;

	}

	/**
	 * What the watchdog sends when the deadline passed.
	 */
	@FunctionalInterface
	interface Answer {

		/**
		 * Send the answer.
		 * @return {@code true} if the response was committed and the connection aborted
		 */
		boolean send();

	}

}
