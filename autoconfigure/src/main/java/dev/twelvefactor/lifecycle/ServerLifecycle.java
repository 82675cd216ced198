package dev.twelvefactor.lifecycle;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Turns the application's lifecycle into the starter's {@link ServerReadyEvent} and
 * {@link ServerExitEvent}, logging each, with the startup report when ready. In check
 * mode, where the application starts without a server, it logs the report and ends the
 * application through {@link SpringApplication#exit}.
 * <p>
 * The stop has two phases. With a drain delay, the first SIGTERM does not stop the
 * application yet: readiness goes to refusing traffic and the server goes on serving for
 * the delay (see {@link DrainDelay}). Then Spring Boot drains requests in
 * {@code WebServerGracefulShutdownLifecycle} (phase {@code DEFAULT_PHASE - 1024}) and stops
 * the server in a later, lower phase. Lifecycles stop from the highest phase down, so
 * {@link DrainStart} sees the stop begin before the drain, {@link DrainEnd} waits for the
 * requests Spring Boot does not see (those waiting for admission) and answers those left
 * when the graceful timeout is over, and {@link Exit} runs once the server stopped.
 *
 * @author twelvefactor
 */
public class ServerLifecycle implements ApplicationListener<ApplicationReadyEvent> {

	static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	static final int WEB_SERVER_STOP_PHASE = GRACEFUL_SHUTDOWN_PHASE - 1024;

	private static final Log logger = LogFactory.getLog(ServerLifecycle.class);

	private final ApplicationContext context;

	private final EffectiveConfiguration configuration;

	/**
	 * How long the answers to the requests left when the graceful timeout is over may take
	 * to be written, before the server stops.
	 */
	static final Duration CUT_OFF_ANSWERS = Duration.ofSeconds(1);

	private final Supplier<@Nullable ServerRequests> requests;

	private final Duration gracefulTimeout;

	private final String gracefulTimeoutText;

	private final DrainDelay drainDelay;

	private volatile long stopBegan;

	private volatile int inFlightAtStop = -1;

	private volatile long connectionsClosedAtStop;

	private volatile int cutOff;

	/**
	 * Create a new instance.
	 * @param context the application context
	 * @param configuration the effective configuration
	 * @param requests the requests of the server, or {@code null} when there is none
	 * @param gracefulShutdown whether the server shuts down gracefully
	 * ({@code server.shutdown=graceful}, Spring Boot's default), waiting for the requests
	 * in flight for the graceful timeout
	 */
	public ServerLifecycle(ApplicationContext context, EffectiveConfiguration configuration,
			Supplier<@Nullable ServerRequests> requests, boolean gracefulShutdown) {
		this.context = context;
		this.configuration = configuration;
		this.requests = requests;
		this.gracefulTimeout = gracefulShutdown ? configuration.properties().getGracefulTimeout() : Duration.ZERO;
		this.gracefulTimeoutText = gracefulShutdown ? configuration.get("graceful-timeout").display()
				: "0s (server.shutdown=immediate)";
		Duration delay = configuration.properties().getDrainDelay();
		this.drainDelay = new DrainDelay((delay != null) ? delay : Duration.ZERO,
				configuration.get("drain-delay").display(),
				() -> AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC));
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (event.getApplicationContext() != this.context) {
			return;
		}
		MemoryBudget memory = MemoryBudget.of(this.configuration);
		if (this.configuration.properties().isCheck()) {
			StartupReport.log(this.configuration, memory);
			logger.info("Configuration check passed; exiting without starting the server");
			SpringApplication.exit(this.context);
			return;
		}
		WebServer server = (this.context instanceof WebServerApplicationContext web) ? web.getWebServer() : null;
		if (server == null) {
			// Not a web application: there is no server to report on
			return;
		}
		StartupReport.log(this.configuration, memory);
		Duration delay = this.configuration.properties().getDrainDelay();
		if (delay != null && !delay.isZero()) {
			this.drainDelay.install();
		}
		String adapting = this.configuration.adaptive()
				? " (adapting up to " + this.configuration.maxRequestThreads() + ")" : "";
		logger.info("Ready: listening on port " + server.getPort() + ", admitting "
				+ this.configuration.requestThreads() + " requests at once" + adapting + " on "
				+ (this.configuration.virtualThreads() ? "virtual" : "platform") + " threads, ready in "
				+ event.getTimeTaken().toMillis() + " ms");
		this.context.publishEvent(new ServerReadyEvent(this.context, this.configuration, server.getPort()));
	}

	/**
	 * Return the lifecycle, to register as a bean, that sees the stop begin.
	 * @return the lifecycle that records the start of the drain
	 */
	public SmartLifecycle drainStart() {
		return new DrainStart();
	}

	/**
	 * Return the lifecycle, to register as a bean, that waits for the requests left after
	 * Spring Boot's graceful shutdown, and answers them when the graceful timeout is over.
	 * @return the lifecycle that ends the drain
	 */
	public SmartLifecycle drainEnd() {
		return new DrainEnd();
	}

	/**
	 * Return the lifecycle, to register as a bean, that publishes the exit event.
	 * @return the lifecycle that publishes the exit event
	 */
	public SmartLifecycle exit() {
		return new Exit();
	}

	/**
	 * Records when the stop began and what was in flight then.
	 */
	final class DrainStart extends PhasedLifecycle {

		DrainStart() {
			super(GRACEFUL_SHUTDOWN_PHASE + 1);
		}

		@Override
		void onStop() {
			ServerLifecycle.this.stopBegan = System.nanoTime();
			ServerLifecycle.this.drainDelay.stopping();
			ServerRequests requests = ServerLifecycle.this.requests.get();
			if (requests != null) {
				ServerLifecycle.this.inFlightAtStop = requests.inFlight();
				ServerLifecycle.this.connectionsClosedAtStop = requests.closedConnections();
			}
			logger.info("Stopping: draining " + describe(ServerLifecycle.this.inFlightAtStop) + ", for at most "
					+ ServerLifecycle.this.gracefulTimeoutText);
		}

	}

	/**
	 * Waits, once Spring Boot's graceful shutdown is over, for the requests it does not
	 * see: those waiting for admission, which have not reached a servlet yet. When the
	 * graceful timeout is over, answers the requests left.
	 */
	final class DrainEnd extends PhasedLifecycle {

		DrainEnd() {
			super(GRACEFUL_SHUTDOWN_PHASE - 1);
		}

		@Override
		void onStop() {
			ServerRequests requests = ServerLifecycle.this.requests.get();
			long began = ServerLifecycle.this.stopBegan;
			if (requests == null || began == 0) {
				return;
			}
			Duration left = ServerLifecycle.this.gracefulTimeout.minusNanos(System.nanoTime() - began);
			try {
				if (requests.awaitIdle(left.isNegative() ? Duration.ZERO : left)) {
					return;
				}
				int cutOff = requests.cutOff(CUT_OFF_ANSWERS);
				ServerLifecycle.this.cutOff = cutOff;
				logger.warn("Graceful timeout of " + ServerLifecycle.this.gracefulTimeoutText
						+ " over: answered " + cutOff + " requests still running or waiting for admission with 503");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/**
	 * Publishes the exit event once the drain is over.
	 */
	final class Exit extends PhasedLifecycle {

		Exit() {
			super(WEB_SERVER_STOP_PHASE - 1);
		}

		@Override
		void onStop() {
			ServerLifecycle lifecycle = ServerLifecycle.this;
			long began = lifecycle.stopBegan;
			Duration drain = (began != 0) ? Duration.ofNanos(System.nanoTime() - began) : Duration.ZERO;
			int inFlight = Math.max(0, lifecycle.inFlightAtStop);
			Duration delay = lifecycle.drainDelay.elapsed();
			StringBuilder message = new StringBuilder("Exit: drained ").append(describe(lifecycle.inFlightAtStop))
				.append(" in ")
				.append(drain.toMillis())
				.append(" ms");
			if (lifecycle.inFlightAtStop >= 0) {
				message.append(", ").append(lifecycle.cutOff).append(" of them answered 503 at the graceful timeout");
			}
			if (!delay.isZero()) {
				message.append("; before that, served for ")
					.append(delay.toMillis())
					.append(" ms of drain delay")
					.append(lifecycle.drainDelay.isCutShort() ? " (cut short)" : "")
					.append(", closing ")
					.append(lifecycle.connectionsClosedAtStop)
					.append(" connections");
			}
			logger.info(message);
			lifecycle.context.publishEvent(new ServerExitEvent(lifecycle.context, delay,
					lifecycle.connectionsClosedAtStop, inFlight, lifecycle.cutOff, drain));
		}

	}

	private static String describe(int requests) {
		if (requests < 0) {
			return "requests in flight";
		}
		return (requests == 1) ? "1 request in flight" : requests + " requests in flight";
	}

	/**
	 * A lifecycle that does nothing but act when stopped, in a given phase.
	 */
	abstract static class PhasedLifecycle implements SmartLifecycle {

		private final int phase;

		private volatile boolean running;

		PhasedLifecycle(int phase) {
			this.phase = phase;
		}

		abstract void onStop();

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			if (this.running) {
				this.running = false;
				onStop();
			}
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
