package dev.twelvefactor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogLevel;

import dev.twelvefactor.autoconfigure.TwelveFactorProperties.OnInvalid;

/**
 * The configuration the starter runs with: every setting with its effective value and its
 * source, the invalid values found, and the warnings to give. One instance feeds the Tomcat
 * customizer, the logging set-up, the startup report, the actuator endpoint and the metrics.
 *
 * @author twelvefactor
 */
public final class EffectiveConfiguration {

	private final Map<Setting, ConfiguredValue> values;

	private final List<InvalidValue> invalidValues;

	private final List<String> warnings;

	private final int availableProcessors;

	EffectiveConfiguration(Map<Setting, ConfiguredValue> values, List<InvalidValue> invalidValues,
			List<String> warnings, int availableProcessors) {
		this.values = Collections.unmodifiableMap(new EnumMap<>(values));
		this.invalidValues = List.copyOf(invalidValues);
		this.warnings = List.copyOf(warnings);
		this.availableProcessors = availableProcessors;
	}

	/**
	 * Return every setting's value, in the order of {@link Setting}.
	 * @return the configured values
	 */
	public Collection<ConfiguredValue> values() {
		return this.values.values();
	}

	/**
	 * Return the value of one setting.
	 * @param setting the setting
	 * @return its configured value
	 */
	public ConfiguredValue get(Setting setting) {
		return this.values.get(setting);
	}

	/**
	 * Return the invalid values found, each replaced by its default.
	 * @return the invalid values
	 */
	public List<InvalidValue> invalidValues() {
		return this.invalidValues;
	}

	/**
	 * Return the warnings to give at startup: mistyped variable names, values replaced by
	 * their default, settings that work against each other.
	 * @return the warnings
	 */
	public List<String> warnings() {
		return this.warnings;
	}

	/**
	 * Return whether the application must not start: there are invalid values and
	 * {@code on-invalid} is {@code fail}.
	 * @return whether the start fails
	 */
	public boolean failsStart() {
		return !this.invalidValues.isEmpty() && onInvalid() == OnInvalid.FAIL;
	}

	/**
	 * Return the number of processors the JVM sees, which the default of workers uses.
	 * @return the available processors
	 */
	public int availableProcessors() {
		return this.availableProcessors;
	}

	/**
	 * Return whether the starter applies the given Spring Boot property, rather than
	 * leaving the user's value alone.
	 * @param name the Spring Boot property name, such as {@code server.port}
	 * @return whether the starter applies it
	 */
	public boolean applies(String name) {
		for (ConfiguredValue value : this.values.values()) {
			for (SpringProperty property : value.springProperties()) {
				if (property.name().equals(name)) {
					return property.overridden();
				}
			}
		}
		return true;
	}

	public Bind bind() {
		return value(Setting.BIND, Bind.class);
	}

	public int workers() {
		return value(Setting.WORKERS, Integer.class);
	}

	public int threads() {
		return value(Setting.THREADS, Integer.class);
	}

	/**
	 * Return the number of request threads, workers x threads.
	 * @return the maximum number of request threads
	 */
	public int maxThreads() {
		return workers() * threads();
	}

	/**
	 * Return the request deadline; zero when it is off.
	 * @return the timeout
	 */
	public Duration timeout() {
		return value(Setting.TIMEOUT, Duration.class);
	}

	public Duration gracefulTimeout() {
		return value(Setting.GRACEFUL_TIMEOUT, Duration.class);
	}

	public @Nullable Duration keepAlive() {
		return nullableValue(Setting.KEEP_ALIVE, Duration.class);
	}

	public @Nullable Integer backlog() {
		return nullableValue(Setting.BACKLOG, Integer.class);
	}

	public LogLevel logLevel() {
		return value(Setting.LOG_LEVEL, LogLevel.class);
	}

	public AccessLogTarget accessLog() {
		return value(Setting.ACCESS_LOG, AccessLogTarget.class);
	}

	public AccessLogFormat accessLogFormat() {
		return value(Setting.ACCESS_LOG_FORMAT, AccessLogFormat.class);
	}

	public @Nullable Pattern accessLogExclude() {
		return nullableValue(Setting.ACCESS_LOG_EXCLUDE, Pattern.class);
	}

	public AccessLogMask accessLogMask() {
		return value(Setting.ACCESS_LOG_MASK, AccessLogMask.class);
	}

	public ConsoleTarget errorLog() {
		return value(Setting.ERROR_LOG, ConsoleTarget.class);
	}

	public @Nullable Path sslCertfile() {
		String file = nullableValue(Setting.SSL_CERTFILE, String.class);
		return (file != null) ? Path.of(file) : null;
	}

	public @Nullable Path sslKeyfile() {
		String file = nullableValue(Setting.SSL_KEYFILE, String.class);
		return (file != null) ? Path.of(file) : null;
	}

	public @Nullable Path sslCaCerts() {
		String file = nullableValue(Setting.SSL_CA_CERTS, String.class);
		return (file != null) ? Path.of(file) : null;
	}

	public OnInvalid onInvalid() {
		return value(Setting.ON_INVALID, OnInvalid.class);
	}

	public boolean check() {
		return value(Setting.CHECK, Boolean.class);
	}

	private <T> T value(Setting setting, Class<T> type) {
		T value = nullableValue(setting, type);
		if (value == null) {
			throw new IllegalStateException(setting + " has no value");
		}
		return value;
	}

	private <T> @Nullable T nullableValue(Setting setting, Class<T> type) {
		return type.cast(this.values.get(setting).value());
	}

}
