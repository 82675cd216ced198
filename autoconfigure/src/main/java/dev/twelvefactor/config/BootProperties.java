package dev.twelvefactor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * The Spring Boot properties that the starter's settings map to ({@code server.port},
 * {@code server.tomcat.threads.max}, {@code logging.level.root}...), and how they are
 * applied: the one rule of the starter's precedence is the order of two property sources.
 * What a setting the user chose (a command-line argument, a variable, a
 * {@code twelvefactor.*} property) maps to goes in the first source of the environment, so
 * it wins over the same Spring Boot property set anywhere by the user; what a default maps
 * to goes in the last, so that a Spring Boot property the user set wins over it.
 *
 * @author twelvefactor
 */
final class BootProperties {

	/**
	 * Name of the property source of what the settings the user chose map to.
	 */
	static final String OVERRIDES_PROPERTY_SOURCE_NAME = "twelvefactorOverrides";

	/**
	 * Name of the property source of what the defaults map to.
	 */
	static final String DEFAULTS_PROPERTY_SOURCE_NAME = "twelvefactorDefaults";

	/**
	 * Loggers of the startup report and the lifecycle events, kept at INFO whatever the
	 * root level is.
	 */
	static final String LIFECYCLE_LOGGERS = "dev.twelvefactor.lifecycle";

	private static final int MIN_REQUEST_HEAD_SIZE = 32 * 1024;

	private static final int OTHER_FIELDS_SIZE = 8 * 1024;

	/**
	 * Shortest connection timeout that a request deadline maps to.
	 */
	static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Address of the actuator on a port of its own, unless the user chose one.
	 */
	static final String MANAGEMENT_ADDRESS = "127.0.0.1";

	private final Map<Setting, Map<String, Object>> properties = new LinkedHashMap<>();

	private final Map<Setting, String> primary = new LinkedHashMap<>();

	/**
	 * Settings whose Spring Boot properties work together: when the user set one of them
	 * and not the setting, the starter sets none of them.
	 */
	private final Set<Setting> together = new HashSet<>();

	/**
	 * Work out the Spring Boot properties the given settings map to.
	 * @param settings the settings
	 */
	BootProperties(TwelveFactorProperties settings) {
		PropertyMapper map = PropertyMapper.get();
		map.from(settings::getBind).to((bind) -> {
			primary("bind", "server.address", bind.host());
			primary("bind", "server.port", bind.port());
		});
		map.from(settings::getTimeout)
			.whenNot((timeout) -> timeout.isZero())
			.as(BootProperties::connectionTimeout)
			.to((timeout) -> secondary("timeout", "server.tomcat.connection-timeout", timeout));
		map.from(settings::getGracefulTimeout)
			.to((timeout) -> primary("graceful-timeout", "spring.lifecycle.timeout-per-shutdown-phase", timeout));
		map.from(settings::getKeepAlive).to((timeout) -> primary("keep-alive", "server.tomcat.keep-alive-timeout", timeout));
		map.from(settings::getLogLevel).as(LogLevel::name).to((level) -> primary("log-level", "logging.level.root", level));
		map.from(settings::getForwardedAllowIps).to((allowed) -> {
			// Spring Boot's own RemoteIpValve, trusting those peers only
			primary("forwarded-allow-ips", "server.tomcat.remoteip.internal-proxies", allowed.internalProxies());
			secondary("forwarded-allow-ips", "server.forward-headers-strategy", "native");
			this.together.add(Setting.named("forwarded-allow-ips"));
		});
		TwelveFactorProperties.Ssl ssl = settings.getSsl();
		if (ssl.getCertfile() != null && ssl.getKeyfile() != null) {
			// An SSL bundle of Spring Boot's, which reloads the files when they change and
			// refuses a key that is not the certificate's
			String bundle = "spring.ssl.bundle.pem." + TwelveFactorProperties.Ssl.BUNDLE + ".";
			secondary("ssl.certfile", "server.ssl.enabled", "true");
			secondary("ssl.certfile", "server.ssl.bundle", TwelveFactorProperties.Ssl.BUNDLE);
			secondary("ssl.certfile", bundle + "keystore.certificate", location(ssl.getCertfile()));
			secondary("ssl.certfile", bundle + "reload-on-update", "true");
			secondary("ssl.keyfile", bundle + "keystore.private-key", location(ssl.getKeyfile()));
			secondary("ssl.keyfile", bundle + "keystore.verify-keys", "true");
			map.from(ssl::getCaCerts).to((caCerts) -> {
				secondary("ssl.ca-certs", bundle + "truststore.certificate", location(caCerts));
				secondary("ssl.ca-certs", "server.ssl.client-auth", "need");
			});
		}
	}

	/**
	 * Return the connection timeout of a request deadline: the deadline, but at least
	 * {@link #MIN_CONNECTION_TIMEOUT}. Below that, a connection would be closed before a
	 * client, even on the same machine, has sent its request, and no request could be read.
	 */
	static Duration connectionTimeout(Duration timeout) {
		return (timeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) ? MIN_CONNECTION_TIMEOUT : timeout;
	}

	private static String location(String file) {
		return "file:" + file;
	}

	private void primary(String setting, String name, Object value) {
		this.primary.putIfAbsent(Setting.named(setting), name);
		secondary(setting, name, value);
	}

	private void secondary(String setting, String name, Object value) {
		this.properties.computeIfAbsent(Setting.named(setting), (key) -> new LinkedHashMap<>()).put(name, value);
	}

	/**
	 * Return the Spring Boot properties the setting maps to, with their values.
	 * @param setting the setting
	 * @return the properties
	 */
	Map<String, Object> of(Setting setting) {
		return this.properties.getOrDefault(setting, Map.of());
	}

	/**
	 * Return whether the setting is only a way of setting the Spring Boot properties it
	 * maps to, such as {@code log-level} for {@code logging.level.root}, so that when it is
	 * defaulted and the user set one of them, the user's value is what runs.
	 * @param setting the setting
	 * @return whether the properties are the setting's whole effect
	 */
	boolean isWholeEffect(Setting setting) {
		return this.primary.containsKey(setting);
	}

	/**
	 * Return the Spring Boot properties that the user set, among those the setting maps to.
	 * @param environment the environment
	 * @param setting the setting
	 * @param overridden whether the starter overrides them
	 * @return the properties the user set
	 */
	List<SpringProperty> userProperties(ConfigurableEnvironment environment, Setting setting, boolean overridden) {
		List<SpringProperty> user = new ArrayList<>();
		for (String name : of(setting).keySet()) {
			ConfigurationProperty property = userProperty(environment, name);
			if (property != null) {
				user.add(new SpringProperty(name, String.valueOf(property.getValue()), SettingSource.of(property),
						overridden));
			}
		}
		return user;
	}

	/**
	 * Return a property as the user set it, outside of the starter's own property sources.
	 * @param environment the environment
	 * @param name the property name
	 * @return the property, or {@code null} when the user did not set it
	 */
	static @Nullable ConfigurationProperty userProperty(ConfigurableEnvironment environment, String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& isStartersOwn(propertySource)) {
				continue;
			}
			ConfigurationProperty property = source.getConfigurationProperty(propertyName);
			if (property != null && property.getValue() != null && !property.getValue().toString().isBlank()) {
				return property;
			}
		}
		return null;
	}

	/**
	 * Return the loggers other than the root that the user gave a level of their own
	 * ({@code logging.level.<logger>}), each with the level and source that win.
	 * @param environment the environment
	 * @return the loggers' levels, in the order of their property sources
	 */
	static List<LoggerLevel> loggerLevels(ConfigurableEnvironment environment) {
		ConfigurationPropertyName levels = ConfigurationPropertyName.of("logging.level");
		Map<String, LoggerLevel> found = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)
					|| (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
							&& isStartersOwn(propertySource))) {
				continue;
			}
			iterable.filter(levels::isAncestorOf).stream().forEach((name) -> {
				String logger = loggerName(name);
				ConfigurationProperty property = source.getConfigurationProperty(name);
				boolean set = property != null && property.getValue() != null
						&& !property.getValue().toString().isBlank();
				if (set && !logger.equalsIgnoreCase(LoggingSystem.ROOT_LOGGER_NAME) && !found.containsKey(logger)) {
					found.put(logger, new LoggerLevel(logger, level(property.getValue()), SettingSource.of(property)));
				}
			});
		}
		return List.copyOf(found.values());
	}

	private static String loggerName(ConfigurationPropertyName name) {
		StringBuilder logger = new StringBuilder();
		for (int i = 2; i < name.getNumberOfElements(); i++) {
			logger.append((i > 2) ? "." : "").append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
		}
		return logger.toString();
	}

	private static String level(Object value) {
		String level = value.toString().strip().toUpperCase(Locale.ROOT);
		// As Spring Boot reads it: YAML turns an unquoted off into false
		return level.equals("FALSE") ? LogLevel.OFF.name() : level;
	}

	private static boolean isStartersOwn(PropertySource<?> source) {
		return OVERRIDES_PROPERTY_SOURCE_NAME.equals(source.getName())
				|| DEFAULTS_PROPERTY_SOURCE_NAME.equals(source.getName());
	}

	/**
	 * Add, or replace, the starter's two property sources.
	 * @param environment the environment
	 * @param configuration the effective configuration
	 */
	void apply(ConfigurableEnvironment environment, EffectiveConfiguration configuration) {
		Map<String, Object> overrides = new LinkedHashMap<>();
		Map<String, Object> defaults = new LinkedHashMap<>();
		this.properties.forEach((setting, values) -> {
			SettingSource source = configuration.get(setting.name()).source();
			if (this.together.contains(setting) && source.kind() == SettingSource.Kind.SPRING_PROPERTY) {
				return;
			}
			boolean explicit = source.isExplicit();
			values.forEach((name, value) -> {
				if (explicit) {
					overrides.put(name, value);
					defaults.remove(name);
				}
				else if (!overrides.containsKey(name)) {
					defaults.put(name, value);
				}
			});
		});
		TwelveFactorProperties settings = configuration.properties();
		if (!settings.getTimeout().isZero()) {
			// A default only: an application may give its asynchronous requests (long
			// polling) a timeout of their own
			defaults.put("spring.mvc.async.request-timeout", settings.getTimeout());
		}
		if (!configuration.virtualThreads()) {
			// Tomcat's pool only executes: room for the admitted requests, those waiting for
			// admission, and as many abandoned past their deadline as the liveness allows
			defaults.put("server.tomcat.threads.max", 2 * configuration.maxRequestThreads() + settings.getBacklog());
		}
		// Tomcat bounds the whole request head, Gunicorn each of its lines: room for the
		// longest request line and the largest field the limits allow, and others besides
		defaults.put("server.max-http-request-header-size", requestHeadSize(settings) + "B");
		if (settings.getErrorLog() == ConsoleTarget.STDERR) {
			// The banner is printed to standard output, which carries the access log only
			defaults.put("spring.main.banner-mode", "log");
		}
		if (userProperty(environment, "logging.level.dev") == null
				&& userProperty(environment, "logging.level.dev.twelvefactor") == null) {
			defaults.put("logging.level." + LIFECYCLE_LOGGERS, "INFO");
		}
		if (settings.isCheck()) {
			// Check mode starts the application without a server and without creating beans
			overrides.put("spring.main.web-application-type", "none");
			overrides.put("spring.main.lazy-initialization", "true");
		}
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(OVERRIDES_PROPERTY_SOURCE_NAME);
		sources.remove(DEFAULTS_PROPERTY_SOURCE_NAME);
		sources.addFirst(new OverridesPropertySource(configuration, overrides));
		sources.addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE_NAME, defaults));
		// Once the ports are in place: whether the actuator has a port of its own
		applyManagementDefaults(environment, settings, defaults);
	}

	/**
	 * Keep the actuator private when it has a port of its own: bound to loopback, unless
	 * the user set {@code management.server.address} ({@code MANAGEMENT_SERVER_ADDRESS}),
	 * and, when client certificates are required on the application's port, with the
	 * server's TLS but without asking for one (probes, health checks and scrapers have
	 * none), unless the user set {@code management.server.ssl.*}. Both are defaults, in
	 * the last property source.
	 */
	private static void applyManagementDefaults(ConfigurableEnvironment environment, TwelveFactorProperties settings,
			Map<String, Object> defaults) {
		if (!hasManagementPort(environment)) {
			return;
		}
		defaults.put("management.server.address", MANAGEMENT_ADDRESS);
		TwelveFactorProperties.Ssl ssl = settings.getSsl();
		if (ssl.getCertfile() != null && ssl.getKeyfile() != null && ssl.getCaCerts() != null
				&& !isSetByUser(environment, "management.server.ssl")) {
			defaults.put("management.server.ssl.enabled", "true");
			defaults.put("management.server.ssl.certificate", location(ssl.getCertfile()));
			defaults.put("management.server.ssl.certificate-private-key", location(ssl.getKeyfile()));
		}
	}

	/**
	 * Return whether the actuator listens on a port of its own, by Spring Boot's rule
	 * ({@code ManagementPortType}): {@code management.server.port} set, not negative,
	 * and not the server's port.
	 */
	static boolean hasManagementPort(ConfigurableEnvironment environment) {
		Integer management = port(environment, "management.server.port");
		if (management == null || management < 0) {
			return false;
		}
		Integer server = port(environment, "server.port");
		return !((server == null && management == 8080) || (management != 0 && management.equals(server)));
	}

	private static @Nullable Integer port(ConfigurableEnvironment environment, String name) {
		try {
			return environment.getProperty(name, Integer.class);
		}
		catch (RuntimeException ex) {
			// Spring Boot reports it
			return null;
		}
	}

	private static boolean isSetByUser(ConfigurableEnvironment environment, String prefix) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource
					&& isStartersOwn(propertySource)) {
				continue;
			}
			if (source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the size of request head that Tomcat accepts by default: at least 32 KiB, and
	 * at least the longest request line and the largest field the limits allow with 8 KiB
	 * of other fields.
	 * @param settings the settings
	 * @return the size in bytes
	 */
	static int requestHeadSize(TwelveFactorProperties settings) {
		return Math.max(MIN_REQUEST_HEAD_SIZE,
				settings.getLimitRequestLine() + settings.getLimitRequestFieldSize() + OTHER_FIELDS_SIZE);
	}

	/**
	 * Return the effective configuration the environment was prepared with, if any.
	 * @param environment the environment
	 * @return the effective configuration or {@code null}
	 */
	static @Nullable EffectiveConfiguration find(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources().get(OVERRIDES_PROPERTY_SOURCE_NAME);
		return (source instanceof OverridesPropertySource overrides) ? overrides.configuration : null;
	}

	/**
	 * The property source of the overrides, which also carries the effective
	 * configuration from the environment's preparation to the application context.
	 */
	private static final class OverridesPropertySource extends MapPropertySource {

		private final EffectiveConfiguration configuration;

		OverridesPropertySource(EffectiveConfiguration configuration, Map<String, Object> overrides) {
			super(OVERRIDES_PROPERTY_SOURCE_NAME, overrides);
			this.configuration = configuration;
		}

	}

}
