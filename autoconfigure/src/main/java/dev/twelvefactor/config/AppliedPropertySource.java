package dev.twelvefactor.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The Spring Boot properties that the starter sets from its effective configuration, at
 * the highest precedence, for what Spring Boot reads before any bean exists (logging) or
 * reads in several places (the server's address and port). Its source is the effective
 * configuration itself, so that the context uses the one the environment was prepared with.
 *
 * @author twelvefactor
 */
public final class AppliedPropertySource extends EnumerablePropertySource<EffectiveConfiguration> {

	/**
	 * Loggers of the startup report and the lifecycle events, kept at INFO whatever the
	 * root level is.
	 */
	public static final String LIFECYCLE_LOGGERS = "dev.twelvefactor.lifecycle";

	private final Map<String, Object> properties;

	AppliedPropertySource(EffectiveConfiguration configuration, Map<String, Object> properties) {
		super(ConfigurationResolver.APPLIED_PROPERTY_SOURCE_NAME, configuration);
		this.properties = properties;
	}

	/**
	 * Work out the properties to apply from the given configuration and add them to the
	 * environment, replacing any added before.
	 * @param environment the environment
	 * @param configuration the effective configuration
	 */
	static void apply(ConfigurableEnvironment environment, EffectiveConfiguration configuration) {
		Map<String, Object> properties = new LinkedHashMap<>();
		if (configuration.applies("logging.level.root")) {
			properties.put("logging.level.root", configuration.logLevel().name());
		}
		if (!setByUser(environment, "logging.level.dev", "logging.level.dev.twelvefactor",
				"logging.level." + LIFECYCLE_LOGGERS)) {
			properties.put("logging.level." + LIFECYCLE_LOGGERS, "INFO");
		}
		if (configuration.applies("server.address")) {
			properties.put("server.address", configuration.bind().host());
		}
		if (configuration.applies("server.port")) {
			properties.put("server.port", String.valueOf(configuration.bind().port()));
		}
		if (configuration.applies("spring.lifecycle.timeout-per-shutdown-phase")) {
			properties.put("spring.lifecycle.timeout-per-shutdown-phase", configuration.gracefulTimeout());
		}
		if (!configuration.timeout().isZero() && !environment.containsProperty("spring.mvc.async.request-timeout")) {
			properties.put("spring.mvc.async.request-timeout", configuration.timeout());
		}
		if (configuration.errorLog() == ConsoleTarget.STDERR && !environment.containsProperty("spring.main.banner-mode")) {
			// The banner is printed to standard output, which carries the access log only
			properties.put("spring.main.banner-mode", "log");
		}
		if (configuration.sslCertfile() != null && configuration.sslKeyfile() != null) {
			properties.put("server.ssl.enabled", "true");
			properties.put("server.ssl.certificate", "file:" + configuration.sslCertfile());
			properties.put("server.ssl.certificate-private-key", "file:" + configuration.sslKeyfile());
			if (configuration.sslCaCerts() != null) {
				properties.put("server.ssl.trust-certificate", "file:" + configuration.sslCaCerts());
				properties.put("server.ssl.client-auth", "need");
			}
		}
		// Tomcat's thread-pool meters read JMX: make them available without the user asking
		if (!environment.containsProperty("server.tomcat.mbeanregistry.enabled")) {
			properties.put("server.tomcat.mbeanregistry.enabled", "true");
		}
		environment.getPropertySources().remove(ConfigurationResolver.APPLIED_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().addFirst(new AppliedPropertySource(configuration, properties));
	}

	private static boolean setByUser(ConfigurableEnvironment environment, String... names) {
		for (String name : names) {
			if (environment.containsProperty(name)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the effective configuration the environment was prepared with, if any.
	 * @param environment the environment
	 * @return the effective configuration or {@code null}
	 */
	static @Nullable EffectiveConfiguration find(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources()
			.get(ConfigurationResolver.APPLIED_PROPERTY_SOURCE_NAME);
		return (source instanceof AppliedPropertySource applied) ? applied.getSource() : null;
	}

	@Override
	public String[] getPropertyNames() {
		return this.properties.keySet().toArray(String[]::new);
	}

	@Override
	public @Nullable Object getProperty(String name) {
		return this.properties.get(name);
	}

}
