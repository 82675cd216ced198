package dev.twelvefactor.lifecycle;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Published when the web server listens and the application is ready to serve, as
 * Gunicorn's {@code when_ready}. Carries the configuration the server runs with.
 *
 * @author twelvefactor
 */
public class ServerReadyEvent extends ApplicationEvent {

	private final EffectiveConfiguration configuration;

	private final int port;

	/**
	 * Create a new event.
	 * @param context the application context
	 * @param configuration the effective configuration
	 * @param port the port the server listens on
	 */
	public ServerReadyEvent(ApplicationContext context, EffectiveConfiguration configuration, int port) {
		super(context);
		this.configuration = configuration;
		this.port = port;
	}

	/**
	 * Return the effective configuration, each setting with its value and source.
	 * @return the effective configuration
	 */
	public EffectiveConfiguration getConfiguration() {
		return this.configuration;
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

}
