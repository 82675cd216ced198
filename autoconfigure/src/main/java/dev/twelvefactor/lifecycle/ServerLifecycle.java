package dev.twelvefactor.lifecycle;

import java.time.Duration;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
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
 * Spring Boot drains requests in {@code WebServerGracefulShutdownLifecycle} (phase
 * {@code DEFAULT_PHASE - 1024}) and stops the server in a later, lower phase. Lifecycles
 * stop from the highest phase down, so {@link DrainStart} sees the stop begin before the
 * drain, and {@link Exit} runs once the drain is over and the server stopped.
 *
 * @author twelvefactor
 */
public class ServerLifecycle implements ApplicationListener<ApplicationReadyEvent> {

	static final int GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	static final int WEB_SERVER_STOP_PHASE = GRACEFUL_SHUTDOWN_PHASE - 1024;

	private static final Log logger = LogFactory.getLog(ServerLifecycle.class);

	private final ApplicationContext context;

	private final EffectiveConfiguration configuration;

	private final IntSupplier requestsInFlight;

	private volatile long stopBegan;

	private volatile int inFlightAtStop = -1;

	/**
	 * Create a new instance.
	 * @param context the application context
	 * @param configuration the effective configuration
	 * @param requestsInFlight how many requests are in flight, or -1 when unknown
	 */
	public ServerLifecycle(ApplicationContext context, EffectiveConfiguration configuration,
			IntSupplier requestsInFlight) {
		this.context = context;
		this.configuration = configuration;
		this.requestsInFlight = requestsInFlight;
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
			ServerLifecycle.this.inFlightAtStop = ServerLifecycle.this.requestsInFlight.getAsInt();
			logger.info("Stopping: draining " + describe(ServerLifecycle.this.inFlightAtStop) + ", for at most "
					+ ServerLifecycle.this.configuration.get("graceful-timeout").display());
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
			long began = ServerLifecycle.this.stopBegan;
			Duration drain = (began != 0) ? Duration.ofNanos(System.nanoTime() - began) : Duration.ZERO;
			int inFlight = Math.max(0, ServerLifecycle.this.inFlightAtStop);
			logger.info("Exit: drained " + describe(ServerLifecycle.this.inFlightAtStop) + " in " + drain.toMillis()
					+ " ms");
			ServerLifecycle.this.context.publishEvent(new ServerExitEvent(ServerLifecycle.this.context, inFlight, drain));
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
