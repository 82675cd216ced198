package dev.twelvefactor.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The drain delay: on the first SIGTERM, the readiness goes to refusing traffic and the
 * server goes on serving for the delay while load balancers take the replica out; only
 * then does the JVM begin its shutdown, and Spring Boot its graceful shutdown. A second
 * SIGTERM, or a SIGINT (Ctrl-C in a terminal), ends the delay at once.
 * <p>
 * JVM shutdown hooks run once, and a signal that comes during the shutdown only waits for
 * it, so the delay cannot be a hook. It is a {@code sun.misc.Signal} handler in front of
 * the JVM's own: after the delay it hands the signal to the JVM's handler, which exits
 * the way it always does (the shutdown hooks, Spring Boot's close of the application
 * context, exit status 128 + the signal's number). Each signal is handled on a thread of
 * its own, so a second one can cut the first one's wait short.
 *
 * @author twelvefactor
 */
final class DrainDelay {

	private static final Log logger = LogFactory.getLog(DrainDelay.class);

	private static final String TERM = "TERM";

	private static final String INT = "INT";

	private final Duration delay;

	private final String delayText;

	private final Runnable refuseTraffic;

	private final SignalHandler handler = this::handle;

	private @Nullable SignalHandler previousTerm;

	private @Nullable SignalHandler previousInt;

	private State state = State.SERVING;

	private long began;

	private long ended;

	private boolean cutShort;

	private boolean handedOver;

	/**
	 * Create a drain delay.
	 * @param delay how long to go on serving after SIGTERM
	 * @param delayText the delay as the startup report shows it
	 * @param refuseTraffic what takes the replica out of rotation
	 */
	DrainDelay(Duration delay, String delayText, Runnable refuseTraffic) {
		this.delay = delay;
		this.delayText = delayText;
		this.refuseTraffic = refuseTraffic;
	}

	/**
	 * Handle SIGTERM and SIGINT in front of the JVM's handlers.
	 * @return whether the handlers are installed; not when the JVM does not handle the
	 * signals itself ({@code -Xrs}) or does not let the application handle them
	 */
	synchronized boolean install() {
		try {
			this.previousTerm = handle(TERM);
		}
		catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException ex) {
			logger.warn("Cannot handle SIGTERM (" + ex.getMessage() + "): the drain delay of " + this.delayText
					+ " is off, SIGTERM starts the graceful shutdown at once");
			uninstall();
			return false;
		}
		try {
			this.previousInt = handle(INT);
		}
		catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException ex) {
			// SIGINT is ignored when the JVM was started in the background by a shell:
			// nothing to skip the delay with, but a second SIGTERM
		}
		return true;
	}

	private SignalHandler handle(String name) {
		Signal signal = new Signal(name);
		SignalHandler previous = Signal.handle(signal, this.handler);
		if (previous == SignalHandler.SIG_DFL || previous == SignalHandler.SIG_IGN) {
			// Not the JVM's shutdown: leave the signal as it was
			Signal.handle(signal, previous);
			throw new IllegalStateException("SIG" + name + " is not handled by the JVM");
		}
		return previous;
	}

	/**
	 * Give the signals back to the handlers they had before, unless someone else took
	 * them since.
	 */
	synchronized void uninstall() {
		this.previousTerm = restore(TERM, this.previousTerm);
		this.previousInt = restore(INT, this.previousInt);
	}

	private @Nullable SignalHandler restore(String name, @Nullable SignalHandler previous) {
		if (previous != null) {
			Signal signal = new Signal(name);
			SignalHandler current = Signal.handle(signal, previous);
			if (current != this.handler) {
				Signal.handle(signal, current);
			}
		}
		return null;
	}

	private void handle(Signal signal) {
		boolean terminate = TERM.equals(signal.getName());
		boolean delay = false;
		SignalHandler previous;
		synchronized (this) {
			// Taken now: the handlers are given back when the application stops
			previous = terminate ? this.previousTerm : this.previousInt;
			if (this.state == State.DELAYING) {
				this.cutShort = true;
				notifyAll();
				logger.info("Received SIG" + signal.getName() + ": the drain delay ends now");
				return;
			}
			if (this.handedOver) {
				// The JVM is stopping already
				return;
			}
			if (terminate && this.state == State.SERVING) {
				this.state = State.DELAYING;
				this.began = System.nanoTime();
				delay = true;
			}
			else {
				this.state = State.STOPPING;
				this.handedOver = true;
			}
		}
		if (delay) {
			delay();
		}
		if (previous != null) {
			previous.handle(signal);
		}
	}

	/**
	 * Refuse traffic and wait for the delay, unless it is cut short.
	 */
	private void delay() {
		this.refuseTraffic.run();
		logger.info("Received SIGTERM: readiness is refusing traffic; serving for the " + this.delayText
				+ " drain delay, each response closing its connection, then the graceful shutdown"
				+ " (a second SIGTERM, or SIGINT, ends the delay)");
		synchronized (this) {
			long end = this.began + this.delay.toNanos();
			try {
				for (long left = end - System.nanoTime(); left > 0 && this.state == State.DELAYING
						&& !this.cutShort; left = end - System.nanoTime()) {
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.cutShort = true;
			}
			if (this.ended == 0) {
				this.ended = System.nanoTime();
			}
			this.state = State.STOPPING;
			this.handedOver = true;
		}
		logger.info("Drain delay " + (isCutShort() ? "cut short" : "over") + " after " + elapsed().toMillis()
				+ " ms: stopping");
	}

	/**
	 * Record that the application is stopping: a delay still running ends, and the
	 * signals go back to their handlers.
	 */
	void stopping() {
		synchronized (this) {
			if (this.state == State.DELAYING) {
				this.cutShort = true;
				this.ended = System.nanoTime();
			}
			this.state = State.STOPPING;
			notifyAll();
		}
		uninstall();
	}

	/**
	 * Return how long the server went on serving after SIGTERM.
	 * @return the time spent in the delay, zero when there was none
	 */
	synchronized Duration elapsed() {
		if (this.began == 0) {
			return Duration.ZERO;
		}
		long end = (this.ended != 0) ? this.ended : System.nanoTime();
		return Duration.ofNanos(end - this.began);
	}

	/**
	 * Return whether a second signal, or the application's own stop, ended the delay
	 * before its time.
	 * @return whether the delay was cut short
	 */
	synchronized boolean isCutShort() {
		return this.cutShort;
	}

	private enum State {

		SERVING, DELAYING, STOPPING

	}

}
