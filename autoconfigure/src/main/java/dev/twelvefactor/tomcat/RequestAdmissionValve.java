package dev.twelvefactor.tomcat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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

import dev.twelvefactor.tomcat.AdmissionControl.Admission;

/**
 * Admits each request through {@link AdmissionControl} and enforces its deadline, counted
 * from its arrival, the way Gunicorn's {@code timeout} does.
 * <p>
 * A request first waits for a slot: one that cannot be admitted (the backlog is full, or
 * it waited as long as it may) is answered {@code 503 Service Unavailable} with
 * {@code Retry-After} at once, without running its handler. Requests to the given exempt
 * paths (the actuator's) are neither limited nor shed. An admitted request runs its
 * handler; a watchdog thread looks over the requests in flight every
 * {@value #WATCHDOG_PERIOD_MILLIS} ms and takes those past their deadline (see
 * {@link InFlightRequest} for how it and the handler thread agree on who does what): it
 * gives back the request's slot, answers it with a {@code 503}, a {@code Content-Length}
 * and {@code Connection: close} if nothing of the response was committed yet, marks its
 * connection for abort if something was, interrupts the handler thread and logs an error.
 * What the handler writes afterwards is discarded. The answer is written with a
 * {@code Content-Length} because Tomcat then hands it to the client at once; a chunked one
 * would only end when the handler thread finishes.
 * <p>
 * The valve sits in the context's pipeline, so that Tomcat's error handling (error pages
 * of the host, the error report valve) runs after the valve has settled the request, on
 * the handler thread, and never at the same time as the watchdog writes.
 * <p>
 * When the server stops, the valve does what {@link RequestDrain} asks: while the
 * readiness refuses traffic, each response gets {@code Connection: close}; once the
 * graceful shutdown is over, the watchdog answers the requests still running as at their
 * deadline, and the requests waiting for admission, or arriving, are answered {@code 503}.
 * <p>
 * The deadline applies to the synchronous processing of a request. An asynchronous
 * request is handed back to the container early; from then on Spring MVC's async request
 * timeout applies to it, and it keeps its slot until it completes. Asynchronous dispatches
 * pass through the valve untouched.
 *
 * @author twelvefactor
 */
final class RequestAdmissionValve extends ValveBase {

	static final String WATCHDOG_THREAD_NAME = "twelvefactor-deadline";

	static final long WATCHDOG_PERIOD_MILLIS = 10;

	private static final Log logger = LogFactory.getLog(RequestAdmissionValve.class);

	private static final int SERVICE_UNAVAILABLE = 503;

	private static final String SERVICE_UNAVAILABLE_TITLE = "Service Unavailable";

	private static final String RETRY_AFTER_SECONDS = "1";

	private static final String SHUTTING_DOWN = "Server shutting down: the graceful shutdown is over";

	private final AdmissionControl admission;

	private final RequestDrain drain;

	private final Duration timeout;

	private final String timeoutText;

	private final List<String> exemptPaths;

	private volatile @Nullable Thread watchdog;

	private volatile @Nullable ThreadPoolExecutor responders;

	/**
	 * Create a valve.
	 * @param admission the admission control
	 * @param drain the drain of the requests when the server stops
	 * @param timeout the deadline from a request's arrival, zero for none
	 * @param timeoutText the deadline as the startup report shows it, such as {@code 2s}
	 * @param exemptPaths paths, and the paths below them, whose requests are neither
	 * limited nor shed
	 */
	RequestAdmissionValve(AdmissionControl admission, RequestDrain drain, Duration timeout, String timeoutText,
			List<String> exemptPaths) {
		super(true);
		this.admission = admission;
		this.drain = drain;
		this.timeout = timeout;
		this.timeoutText = timeoutText;
		this.exemptPaths = List.copyOf(exemptPaths);
	}

	@Override
	protected void startInternal() throws LifecycleException {
		// The answer is written on a thread of its own, so that a client that does not
		// read can hold up its own answer only, never the watchdog
		AtomicInteger answerThreads = new AtomicInteger();
		this.responders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(task) -> newThread(task, WATCHDOG_THREAD_NAME + "-answer-" + answerThreads.incrementAndGet()));
		Thread watchdog = newThread(this::watch, WATCHDOG_THREAD_NAME);
		this.watchdog = watchdog;
		watchdog.start();
		super.startInternal();
	}

	private static Thread newThread(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		// Not the web application's class loader of the request that happens to start it
		thread.setContextClassLoader(RequestAdmissionValve.class.getClassLoader());
		return thread;
	}

	@Override
	protected void stopInternal() throws LifecycleException {
		super.stopInternal();
		Thread watchdog = this.watchdog;
		this.watchdog = null;
		if (watchdog != null) {
			LockSupport.unpark(watchdog);
		}
		ThreadPoolExecutor responders = this.responders;
		if (responders != null) {
			// Not shutdownNow(): a handler thread waits until its answer is settled
			responders.shutdown();
		}
	}

	/**
	 * Look over the requests in flight until the valve stops: take those past their
	 * deadline, and tell the liveness about stuck threads.
	 */
	private void watch() {
		Thread self = Thread.currentThread();
		while (this.watchdog == self) {
			long now = System.nanoTime();
			boolean cutOff = this.drain.isCutOff();
			for (InFlightRequest request : this.admission.requests()) {
				if (request.isPastDeadline(now)) {
					expire(request, false);
				}
				else if (cutOff && request.isRunning()) {
					expire(request, true);
				}
			}
			this.admission.checkStuckThreads(now);
			this.admission.adapt(now);
			LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(WATCHDOG_PERIOD_MILLIS));
		}
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		closeConnectionWhileRefusingTraffic(response);
		// Tomcat sets the dispatcher type of an asynchronous dispatch only further down the
		// pipeline: until then, the request is "async dispatching"
		if (request.isAsyncDispatching() || request.getDispatcherType() == DispatcherType.ASYNC
				|| isExempt(request)) {
			getNext().invoke(request, response);
			return;
		}
		if (this.drain.isCutOff()) {
			shedAtCutOff(request, response);
			return;
		}
		long arrival = arrival(request);
		Admission admission;
		try {
			admission = this.admission.admit(arrival);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			admission = Admission.WAITED_TOO_LONG;
		}
		if (admission == Admission.ADMITTED && this.drain.isCutOff()) {
			// Admitted with the slot of a request answered at the cut-off: answered too,
			// and its slot goes on to the next request waiting
			this.admission.release(false);
			shedAtCutOff(request, response);
			return;
		}
		if (admission == Admission.ADMITTED && !this.timeout.isZero()
				&& System.nanoTime() - arrival >= this.timeout.toNanos()) {
			// Admitted when its deadline already passed: running it would be wasted
			this.admission.releaseAdmittedTooLate();
			admission = Admission.WAITED_TOO_LONG;
		}
		if (admission != Admission.ADMITTED) {
			shed(request, response, admission);
			return;
		}
		InFlightRequest inFlight = new InFlightRequest(String.valueOf(request.getMethod()),
				String.valueOf(request.getRequestURI()), response, Thread.currentThread(), arrival,
				this.timeout.toNanos());
		this.admission.add(inFlight);
		boolean tracked = false;
		try {
			// Also without a deadline: the watchdog may answer the request at the cut-off
			response.setResponse(new RequestDeadlineResponseWrapper(response.getResponse(), inFlight));
			getNext().invoke(request, response);
		}
		finally {
			if (inFlight.complete()) {
				tracked = trackUntilAsyncCompletes(request, inFlight);
				if (!tracked) {
					this.admission.release(true);
				}
			}
			else {
				inFlight.awaitSettled();
				if (inFlight.isAborted()) {
					// On the handler thread, which owns the connection: Tomcat closes it
					// without ending the response when the request leaves the container
					response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
				}
			}
			if (!tracked) {
				this.admission.remove(inFlight);
			}
			ProblemResponses.closeUnlessTheBodyWasRead(request, response);
			closeConnectionWhileRefusingTraffic(response);
		}
	}

	/**
	 * Close the connection after the response while the application refuses traffic, so
	 * that a keep-alive client opens a new connection, which a load balancer that has taken
	 * this replica out sends to another.
	 */
	private void closeConnectionWhileRefusingTraffic(Response response) {
		if (this.drain.isClosingConnections() && !response.isCommitted()
				&& !"close".equalsIgnoreCase(response.getHeader("Connection"))) {
			response.setHeader("Connection", "close");
			this.drain.connectionClosed();
		}
	}

	private boolean isExempt(Request request) {
		String path = request.getRequestURI();
		if (path == null) {
			return false;
		}
		for (String exempt : this.exemptPaths) {
			if (path.startsWith(exempt)
					&& (path.length() == exempt.length() || path.charAt(exempt.length()) == '/')) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return when the request arrived: when Tomcat started reading it, so that the time it
	 * took to read its headers counts too.
	 */
	private static long arrival(Request request) {
		long started = request.getCoyoteRequest().getStartTimeNanos();
		return (started > 0) ? started : System.nanoTime();
	}

	/**
	 * Answer a request that was not admitted, on its own thread.
	 */
	private void shed(Request request, Response response, Admission reason) throws IOException {
		String detail = (reason == Admission.BACKLOG_FULL) ? "Server busy: too many requests waiting"
				: "Server busy: request waited too long for admission";
		shed(request, response, detail);
	}

	/**
	 * Answer a request that is still waiting for admission, or that arrives, when the
	 * graceful shutdown is over.
	 */
	private void shedAtCutOff(Request request, Response response) throws IOException {
		this.drain.answering();
		try {
			shed(request, response, SHUTTING_DOWN);
		}
		finally {
			this.drain.answered();
		}
	}

	private void shed(Request request, Response response, String detail) throws IOException {
		response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
		ProblemResponses.send(request, response, SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_TITLE, detail,
				String.valueOf(request.getRequestURI()));
	}

	private boolean trackUntilAsyncCompletes(Request request, InFlightRequest inFlight) {
		if (!request.isAsync()) {
			return false;
		}
		try {
			request.getAsyncContext().addListener(new AsyncCompletionListener(this.admission, inFlight));
			return true;
		}
		catch (IllegalStateException ex) {
			// Already completed
			return false;
		}
	}

	/**
	 * Take the request at its deadline, or at the cut-off of the graceful shutdown, on the
	 * watchdog thread.
	 * @param inFlight the request
	 * @param cutOff whether the graceful shutdown is over, rather than the deadline passed
	 */
	private void expire(InFlightRequest inFlight, boolean cutOff) {
		if (!inFlight.timeOut()) {
			return;
		}
		if (cutOff) {
			this.drain.answering();
		}
		else {
			this.admission.deadlineHit();
		}
		this.admission.release(false);
		long elapsedMillis = inFlight.elapsed(System.nanoTime()).toMillis();
		Runnable settle = () -> inFlight.settle(() -> answer(inFlight, cutOff), () -> {
			try {
				log(inFlight, elapsedMillis, cutOff);
			}
			finally {
				if (cutOff) {
					this.drain.answered();
				}
			}
		});
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
	private boolean answer(InFlightRequest inFlight, boolean cutOff) {
		Response response = inFlight.response();
		org.apache.coyote.Response coyoteResponse = response.getCoyoteResponse();
		// Tomcat now drops what the handler left in the response buffer or writes there
		response.setSuspended(true);
		if (coyoteResponse.isCommitted()) {
			return true;
		}
		byte[] body = ProblemResponses.body(SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_TITLE,
				cutOff ? SHUTTING_DOWN : "Request exceeded the " + this.timeoutText + " deadline", inFlight.path());
		try {
			coyoteResponse.reset();
			coyoteResponse.setStatus(SERVICE_UNAVAILABLE);
			coyoteResponse.setContentType(ProblemResponses.CONTENT_TYPE);
			coyoteResponse.setContentLength(body.length);
			coyoteResponse.setHeader("Connection", "close");
			if (cutOff) {
				coyoteResponse.setHeader("Retry-After", RETRY_AFTER_SECONDS);
			}
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

	private void log(InFlightRequest inFlight, long elapsedMillis, boolean cutOff) {
		String outcome = inFlight.isAborted()
				? "interrupted the thread; the response was already committed, its connection is closed"
						+ " without completing it"
				: "answered 503 Service Unavailable and interrupted the thread";
		if (cutOff) {
			if (logger.isWarnEnabled()) {
				logger.warn(String.format(Locale.ROOT,
						"Graceful shutdown over with the request still running: %s %s on thread %s after %d ms; %s",
						escape(inFlight.method()), escape(inFlight.path()), escape(inFlight.thread().getName()),
						elapsedMillis, outcome));
			}
			return;
		}
		if (logger.isErrorEnabled()) {
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
	 * Gives back the slot of an asynchronous request when it completes.
	 */
	private static final class AsyncCompletionListener implements AsyncListener {

		private final AdmissionControl admission;

		private final InFlightRequest inFlight;

		AsyncCompletionListener(AdmissionControl admission, InFlightRequest inFlight) {
			this.admission = admission;
			this.inFlight = inFlight;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			this.admission.release(true);
			this.admission.remove(this.inFlight);
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
