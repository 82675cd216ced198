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

	private @Nullable Signals signals;

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
	 * signals itself ({@code -Xrs}), does not let the application handle them, or has no
	 * {@code jdk.unsupported} module
	 */
	synchronized boolean install() {
		try {
			Signals signals = new Signals(this);
			this.signals = signals;
			signals.install();
			return true;
		}
		catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException | LinkageError ex) {
			logger.warn("Cannot handle SIGTERM (" + ex + "): the drain delay of " + this.delayText
					+ " is off, SIGTERM starts the graceful shutdown at once");
			uninstall();
			return false;
		}
	}

	/**
	 * Give the signals back to the handlers they had before, unless someone else took
	 * them since.
	 */
	synchronized void uninstall() {
		Signals signals = this.signals;
		this.signals = null;
		if (signals != null) {
			signals.uninstall();
		}
	}

	/**
	 * Handle a signal, on the thread the JVM started for it.
	 * @param name the signal's name, {@code TERM} or {@code INT}
	 * @param handOver what hands the signal to the handler it had before, which the
	 * signal goes to once the delay is over
	 */
	private void handle(String name, Runnable handOver) {
		boolean terminate = TERM.equals(name);
		boolean delay = false;
		synchronized (this) {
			if (this.state == State.DELAYING) {
				this.cutShort = true;
				notifyAll();
				logger.info("Received SIG" + name + ": the drain delay ends now");
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
		handOver.run();
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

	/**
	 * The {@code sun.misc.Signal} handlers, apart so that a runtime without the
	 * {@code jdk.unsupported} module fails to load this class only, and runs without the
	 * delay.
	 */
	private static final class Signals implements SignalHandler {

		private final DrainDelay delay;

		private @Nullable SignalHandler previousTerm;

		private @Nullable SignalHandler previousInt;

		Signals(DrainDelay delay) {
			this.delay = delay;
		}

		void install() {
			this.previousTerm = take(TERM);
			try {
				this.previousInt = take(INT);
			}
			catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException ex) {
				// SIGINT is ignored when the JVM was started in the background by a shell:
				// nothing to end the delay with, but a second SIGTERM
			}
		}

		private SignalHandler take(String name) {
			Signal signal = new Signal(name);
			SignalHandler previous = Signal.handle(signal, this);
			if (previous == SignalHandler.SIG_DFL || previous == SignalHandler.SIG_IGN) {
				// Not the JVM's shutdown: leave the signal as it was
				Signal.handle(signal, previous);
				throw new IllegalStateException("SIG" + name + " is not handled by the JVM");
			}
			return previous;
		}

		void uninstall() {
			restore(TERM, this.previousTerm);
			restore(INT, this.previousInt);
		}

		private void restore(String name, @Nullable SignalHandler previous) {
			if (previous != null) {
				Signal signal = new Signal(name);
				SignalHandler current = Signal.handle(signal, previous);
				if (current != this) {
					Signal.handle(signal, current);
				}
			}
		}

		@Override
		public void handle(Signal signal) {
			// Taken now: the handlers are given back when the application stops
			SignalHandler previous = TERM.equals(signal.getName()) ? this.previousTerm : this.previousInt;
			this.delay.handle(signal.getName(), () -> {
				if (previous != null) {
					previous.handle(signal);
				}
			});
		}

	}

}
