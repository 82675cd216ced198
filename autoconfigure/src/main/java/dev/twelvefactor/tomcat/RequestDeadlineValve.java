package dev.twelvefactor.tomcat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

/**
 * Tracks every request from its arrival to its completion in a
 * {@link RequestDeadlineMonitor} and, when the timeout is not zero, enforces it as a
 * request deadline, the way Gunicorn's {@code timeout} does.
 * <p>
 * At the deadline a watchdog thread takes the request (see {@link InFlightRequest} for
 * how it and the handler thread agree on who does what), answers it with
 * {@code 503 Service Unavailable}, a {@code Content-Length} and {@code Connection: close}
 * if nothing of the response was committed yet, marks its connection for abort if
 * something was, interrupts the handler thread and logs an error. What the handler writes
 * afterwards is discarded. The answer is written with a {@code Content-Length} because
 * Tomcat then hands it to the client at once; a chunked one would only end when the
 * handler thread finishes.
 * <p>
 * The valve sits in the context's pipeline, so that Tomcat's error handling (error pages
 * of the host, the error report valve) runs after the valve has settled the request, on
 * the handler thread, and never at the same time as the watchdog writes.
 * <p>
 * The deadline applies to the synchronous processing of a request. An asynchronous
 * request is handed back to the container early; from then on Spring MVC's async request
 * timeout applies to it, and the valve only keeps it counted in flight until it
 * completes. Asynchronous dispatches pass through the valve untouched.
 *
 * @author twelvefactor
 */
final class RequestDeadlineValve extends ValveBase {

	static final String WATCHDOG_THREAD_NAME = "twelvefactor-deadline";

	private static final Log logger = LogFactory.getLog(RequestDeadlineValve.class);

	private static final int SERVICE_UNAVAILABLE = 503;

	private static final String PROBLEM_CONTENT_TYPE = "application/problem+json";

	private final Duration timeout;

	private final RequestDeadlineMonitor monitor;

	private final String timeoutText;

	private final String problemStart;

	private volatile @Nullable ScheduledThreadPoolExecutor watchdog;

	private volatile @Nullable ThreadPoolExecutor responders;

	/**
	 * Create a valve for the given deadline.
	 * @param timeout the deadline, zero for none
	 * @param timeoutText the deadline as the startup report shows it, such as {@code 2s}
	 * @param monitor the monitor of requests in flight
	 */
	RequestDeadlineValve(Duration timeout, String timeoutText, RequestDeadlineMonitor monitor) {
		super(true);
		this.timeout = timeout;
		this.timeoutText = timeoutText;
		this.monitor = monitor;
		this.problemStart = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
				+ "\"detail\":\"Request exceeded the " + timeoutText + " deadline\",\"instance\":\"";
	}

	@Override
	protected void startInternal() throws LifecycleException {
		if (!this.timeout.isZero()) {
			ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1,
					(task) -> newThread(task, WATCHDOG_THREAD_NAME));
			watchdog.setRemoveOnCancelPolicy(true);
			watchdog.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			watchdog.prestartCoreThread();
			this.watchdog = watchdog;
			// The answer is written on a thread of its own, so that a client that does not
			// read can hold up its own answer only, never the watchdog
			AtomicInteger answerThreads = new AtomicInteger();
			this.responders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
					new SynchronousQueue<>(),
					(task) -> newThread(task, WATCHDOG_THREAD_NAME + "-answer-" + answerThreads.incrementAndGet()));
		}
		super.startInternal();
	}

	private static Thread newThread(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		// Not the web application's class loader of the request that happens to start it
		thread.setContextClassLoader(RequestDeadlineValve.class.getClassLoader());
		return thread;
	}

	@Override
	protected void stopInternal() throws LifecycleException {
		super.stopInternal();
		ScheduledThreadPoolExecutor watchdog = this.watchdog;
		if (watchdog != null) {
			watchdog.shutdownNow();
			awaitTermination(watchdog);
		}
		ThreadPoolExecutor responders = this.responders;
		if (responders != null) {
			// Not shutdownNow(): a handler thread waits until its answer is settled
			responders.shutdown();
		}
	}

	private static void awaitTermination(ScheduledThreadPoolExecutor watchdog) {
		try {
			watchdog.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			getNext().invoke(request, response);
			return;
		}
		InFlightRequest inFlight = new InFlightRequest(String.valueOf(request.getMethod()),
				String.valueOf(request.getRequestURI()), response, Thread.currentThread(), System.nanoTime());
		this.monitor.add(inFlight);
		boolean removeNow = true;
		try {
			ScheduledThreadPoolExecutor watchdog = this.watchdog;
			if (watchdog != null) {
				response.setResponse(new RequestDeadlineResponseWrapper(response.getResponse(), inFlight));
				scheduleDeadline(watchdog, inFlight);
			}
			getNext().invoke(request, response);
		}
		finally {
			if (inFlight.complete()) {
				removeNow = !trackUntilAsyncCompletes(request, inFlight);
			}
			else {
				inFlight.awaitSettled();
				if (inFlight.isAborted()) {
					// On the handler thread, which owns the connection: Tomcat closes it
					// without ending the response when the request leaves the container
					response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
				}
			}
			if (removeNow) {
				this.monitor.remove(inFlight);
			}
		}
	}

	private void scheduleDeadline(ScheduledThreadPoolExecutor watchdog, InFlightRequest inFlight) {
		try {
			inFlight.setDeadline(
					watchdog.schedule(() -> expire(inFlight), this.timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the request runs without a deadline
		}
	}

	private boolean trackUntilAsyncCompletes(Request request, InFlightRequest inFlight) {
		if (!request.isAsync()) {
			return false;
		}
		try {
			request.getAsyncContext().addListener(new AsyncCompletionListener(this.monitor, inFlight));
			return true;
		}
		catch (IllegalStateException ex) {
			// Already completed
			return false;
		}
	}

	/**
	 * Take the request at its deadline, on the watchdog thread.
	 * @param inFlight the request
	 */
	private void expire(InFlightRequest inFlight) {
		if (!inFlight.timeOut()) {
			return;
		}
		this.monitor.deadlineHit();
		long elapsedMillis = inFlight.elapsed(System.nanoTime()).toMillis();
		Runnable settle = () -> inFlight.settle(() -> answer(inFlight), () -> log(inFlight, elapsedMillis));
		ThreadPoolExecutor responders = this.responders;
		try {
			if (responders == null) {
				settle.run();
			}
			else {
				responders.execute(settle);
			}
		}
		catch (RejectedExecutionException ex) {
			settle.run();
		}
	}

	/**
	 * Answer the timed-out request, holding its output lock.
	 * @param inFlight the request
	 * @return {@code true} if the response was committed and its connection must be
	 * aborted
	 */
	private boolean answer(InFlightRequest inFlight) {
		Response response = inFlight.response();
		org.apache.coyote.Response coyoteResponse = response.getCoyoteResponse();
		// Tomcat now drops what the handler left in the response buffer or writes there
		response.setSuspended(true);
		if (coyoteResponse.isCommitted()) {
			return true;
		}
		byte[] body = problem(inFlight.path());
		try {
			coyoteResponse.reset();
			coyoteResponse.setStatus(SERVICE_UNAVAILABLE);
			coyoteResponse.setContentType(PROBLEM_CONTENT_TYPE);
			coyoteResponse.setContentLength(body.length);
			coyoteResponse.setHeader("Connection", "close");
			coyoteResponse.commit();
			coyoteResponse.doWrite(ByteBuffer.wrap(body));
			coyoteResponse.action(ActionCode.CLIENT_FLUSH, null);
			return false;
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not answer a request that exceeded its deadline", ex);
			return true;
		}
	}

	private byte[] problem(String path) {
		StringBuilder problem = new StringBuilder(this.problemStart);
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '"' || c == '\\') {
				problem.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x7f) {
				problem.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
			}
			else {
				problem.append(c);
			}
		}
		return problem.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
	}

	private void log(InFlightRequest inFlight, long elapsedMillis) {
		if (logger.isErrorEnabled()) {
			String outcome = inFlight.isAborted()
					? "interrupted the thread; the response was already committed, its connection is closed"
							+ " without completing it"
					: "answered 503 Service Unavailable and interrupted the thread";
			logger.error(String.format(Locale.ROOT, "Request deadline of %s exceeded: %s %s on thread %s after %d ms; %s",
					this.timeoutText, escape(inFlight.method()), escape(inFlight.path()),
					escape(inFlight.thread().getName()), elapsedMillis, outcome));
		}
	}

	private static String escape(String value) {
		StringBuilder escaped = null;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isISOControl(c)) {
				if (escaped == null) {
					escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
				}
				escaped.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
			}
			else if (escaped != null) {
				escaped.append(c);
			}
		}
		return (escaped != null) ? escaped.toString() : value;
	}

	/**
	 * Stops counting an asynchronous request in flight when it completes.
	 */
	private static final class AsyncCompletionListener implements AsyncListener {

		private final RequestDeadlineMonitor monitor;

		private final InFlightRequest inFlight;

		AsyncCompletionListener(RequestDeadlineMonitor monitor, InFlightRequest inFlight) {
			this.monitor = monitor;
			this.inFlight = inFlight;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			this.monitor.remove(this.inFlight);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
