package dev.twelvefactor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.twelvefactor.autoconfigure.TwelveFactorProperties.OnInvalid;

/**
 * Works out the {@link EffectiveConfiguration} from an environment, with the precedence of
 * the starter: command line and system properties, then the canonical variable
 * ({@code TWELVEFACTOR_WORKERS}), then the conventional one ({@code WEB_CONCURRENCY}), then
 * {@code twelvefactor.*} in the application's configuration, then a Spring Boot property
 * the user set ({@code server.tomcat.threads.max}), then the default.
 *
 * @author twelvefactor
 */
public final class ConfigurationResolver {

	/**
	 * Name of the property source that maps the environment variables the starter reads to
	 * {@code twelvefactor.*} properties. It sits just above the system environment.
	 */
	public static final String VARIABLES_PROPERTY_SOURCE_NAME = "twelvefactorVariables";

	/**
	 * Name of the property source that holds the Spring Boot properties the starter sets.
	 */
	public static final String APPLIED_PROPERTY_SOURCE_NAME = "twelvefactorApplied";

	private static final Map<Setting, List<String>> SPRING_PROPERTIES = Map.of(Setting.BIND,
			List.of("server.address", "server.port"), Setting.WORKERS, List.of("server.tomcat.threads.max"),
			Setting.TIMEOUT, List.of("server.tomcat.connection-timeout"), Setting.GRACEFUL_TIMEOUT,
			List.of("spring.lifecycle.timeout-per-shutdown-phase"), Setting.KEEP_ALIVE,
			List.of("server.tomcat.keep-alive-timeout"), Setting.BACKLOG, List.of("server.tomcat.accept-count"),
			Setting.LOG_LEVEL, List.of("logging.level.root"));

	private static final String PORT = "PORT";

	private final ConfigurableEnvironment environment;

	private final int availableProcessors;

	/**
	 * Create a resolver for the given environment and the processors the JVM sees.
	 * @param environment the environment
	 */
	public ConfigurationResolver(ConfigurableEnvironment environment) {
		this(environment, Runtime.getRuntime().availableProcessors());
	}

	ConfigurationResolver(ConfigurableEnvironment environment, int availableProcessors) {
		this.environment = environment;
		this.availableProcessors = availableProcessors;
	}

	/**
	 * Add, or replace, the property source that maps the environment variables the starter
	 * reads to {@code twelvefactor.*} properties, just above the system environment, so
	 * that Spring Boot binds them with the starter's precedence. Empty variables count as
	 * unset.
	 * @param environment the environment
	 */
	public static void attachVariables(ConfigurableEnvironment environment) {
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(VARIABLES_PROPERTY_SOURCE_NAME);
		PropertySource<?> systemEnvironment = sources.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (systemEnvironment == null) {
			return;
		}
		Map<String, Object> variables = new LinkedHashMap<>();
		for (Setting setting : Setting.values()) {
			for (String name : new @Nullable String[] { setting.environmentVariable(),
					setting.relaxedEnvironmentVariable(), setting.conventionalVariable() }) {
				Object value = (name != null) ? systemEnvironment.getProperty(name) : null;
				if (value != null && !value.toString().isBlank()) {
					String mapped = PORT.equals(name) ? ":" + value.toString().strip() : value.toString();
					variables.put(setting.propertyName(),
							OriginTrackedValue.of(mapped, new SystemEnvironmentOrigin(name)));
					break;
				}
			}
		}
		sources.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new OriginTrackedMapPropertySource(VARIABLES_PROPERTY_SOURCE_NAME, variables, true));
	}

	/**
	 * Return the effective configuration the environment was prepared with, or work it out
	 * when the environment was not prepared by {@link TwelveFactorEnvironmentPostProcessor}
	 * (an application context created without {@code SpringApplication}).
	 * @param environment the environment
	 * @return the effective configuration
	 */
	public static EffectiveConfiguration get(ConfigurableEnvironment environment) {
		EffectiveConfiguration configuration = find(environment);
		return (configuration != null) ? configuration : new ConfigurationResolver(environment).resolve();
	}

	/**
	 * Return the effective configuration the environment was prepared with, if any.
	 * @param environment the environment
	 * @return the effective configuration or {@code null}
	 */
	public static @Nullable EffectiveConfiguration find(ConfigurableEnvironment environment) {
		return AppliedPropertySource.find(environment);
	}

	/**
	 * Work out the effective configuration.
	 * @return the effective configuration
	 */
	public EffectiveConfiguration resolve() {
		List<InvalidValue> invalid = new ArrayList<>();
		List<String> warnings = new ArrayList<>(new VariableNameAdvisor().advise(environmentVariableNames()));
		Map<Setting, ConfiguredValue> values = new EnumMap<>(Setting.class);
		for (Setting setting : Setting.values()) {
			values.put(setting, resolve(setting, invalid));
		}
		checkTogether(values, invalid, warnings);
		if (values.get(Setting.ON_INVALID).value() == OnInvalid.DEFAULT) {
			for (InvalidValue value : invalid) {
				warnings.add("Invalid " + value.describe() + "; using " + values.get(value.setting()).display()
						+ " instead");
			}
		}
		return new EffectiveConfiguration(values, invalid, warnings, this.availableProcessors);
	}

	private ConfiguredValue resolve(Setting setting, List<InvalidValue> invalid) {
		Found found = find(setting.propertyName());
		String replacedName = null;
		if (found != null) {
			String raw = found.value();
			try {
				Object value = (PORT.equals(found.source().name()))
						? new Bind(Bind.ALL_IPV4_INTERFACES, Bind.parsePort(raw.substring(1).strip()))
						: setting.parse(raw);
				return configured(setting, value, found.source());
			}
			catch (InvalidValueException ex) {
				String written = ex.hideValue() ? InvalidValue.HIDDEN
						: PORT.equals(found.source().name()) ? raw.substring(1) : raw;
				ConfiguredValue fallback = defaulted(setting, null);
				invalid.add(new InvalidValue(setting, found.source().writtenName(), written,
						ex.getMessage() + "; accepted: " + setting.accepted(),
						"Set " + found.source().writtenName() + " to " + setting.accepted()
								+ ", or unset it to use the default (" + fallback.display() + ")."));
				replacedName = found.source().writtenName();
			}
		}
		return defaulted(setting, replacedName);
	}

	private ConfiguredValue defaulted(Setting setting, @Nullable String replacedName) {
		Object value = setting.defaultValue();
		String description = "default";
		if (setting == Setting.WORKERS) {
			value = Math.max(3, 2 * this.availableProcessors + 1);
			description = "max(3, 2 x " + this.availableProcessors + " cores + 1)";
		}
		else if (value == null && (setting == Setting.KEEP_ALIVE || setting == Setting.BACKLOG)) {
			description = "Tomcat's default";
		}
		if (replacedName != null) {
			description += ", in place of invalid " + replacedName;
		}
		return configured(setting, value, SettingSource.defaultValue(description));
	}

	private ConfiguredValue configured(Setting setting, @Nullable Object value, SettingSource source) {
		List<SpringProperty> springProperties = new ArrayList<>();
		for (String name : SPRING_PROPERTIES.getOrDefault(setting, List.of())) {
			Found user = find(name);
			if (user != null) {
				springProperties.add(new SpringProperty(name, user.value(), user.source(), source.isExplicit()));
			}
		}
		String display = display(setting, value);
		if (!source.isExplicit() && !springProperties.isEmpty()) {
			if (setting == Setting.BIND) {
				display = leftAloneBind(springProperties, (Bind) value);
				source = new SettingSource(SettingSource.Kind.SPRING_PROPERTY,
						String.join(", ", springProperties.stream().map(SpringProperty::name).toList()), null);
			}
			else if (setting != Setting.TIMEOUT) {
				SpringProperty property = springProperties.get(0);
				display = property.value();
				source = new SettingSource(SettingSource.Kind.SPRING_PROPERTY, property.name(),
						property.source().origin());
			}
		}
		return new ConfiguredValue(setting, value, display, source, List.copyOf(springProperties));
	}

	private String leftAloneBind(List<SpringProperty> properties, Bind bind) {
		String host = bind.host();
		String port = String.valueOf(bind.port());
		for (SpringProperty property : properties) {
			if (property.name().equals("server.address")) {
				host = property.value();
			}
			else {
				port = property.value();
			}
		}
		return (host.indexOf(':') >= 0) ? "[" + host + "]:" + port : host + ":" + port;
	}

	private void checkTogether(Map<Setting, ConfiguredValue> values, List<InvalidValue> invalid,
			List<String> warnings) {
		ConfiguredValue workers = values.get(Setting.WORKERS);
		ConfiguredValue threads = values.get(Setting.THREADS);
		if ((Integer) workers.value() * (Integer) threads.value() > 10000) {
			ConfiguredValue blamed = threads.source().isExplicit() ? threads : workers;
			invalid.add(new InvalidValue(blamed.setting(), blamed.source().writtenName(), blamed.display(),
					"workers x threads is " + ((Integer) workers.value() * (Integer) threads.value())
							+ ", more than 10000",
					"Lower the workers or the threads so that workers x threads is at most 10000."));
			values.put(Setting.THREADS, defaulted(Setting.THREADS, threads.source().writtenName()));
			if ((Integer) workers.value() > 10000) {
				values.put(Setting.WORKERS, defaulted(Setting.WORKERS, workers.source().writtenName()));
			}
		}
		checkPair(values, invalid, Setting.SSL_CERTFILE, Setting.SSL_KEYFILE);
		checkPair(values, invalid, Setting.SSL_KEYFILE, Setting.SSL_CERTFILE);
		ConfiguredValue certificate = values.get(Setting.SSL_CERTFILE);
		ConfiguredValue key = values.get(Setting.SSL_KEYFILE);
		if (certificate.value() != null && key.value() != null
				&& !PemFile.matches(Path.of((String) certificate.value()), Path.of((String) key.value()))) {
			invalid.add(new InvalidValue(Setting.SSL_KEYFILE, key.source().writtenName(), key.display(),
					"not the private key of the certificate in " + certificate.source().writtenName(),
					"Set " + key.source().writtenName() + " to the private key of that certificate."));
			values.put(Setting.SSL_CERTFILE, defaulted(Setting.SSL_CERTFILE, certificate.source().writtenName()));
			values.put(Setting.SSL_KEYFILE, defaulted(Setting.SSL_KEYFILE, key.source().writtenName()));
		}
		// The defaults (60s and 30s) are in this relation too: warn only about a choice the user made
		ConfiguredValue timeout = values.get(Setting.TIMEOUT);
		ConfiguredValue graceful = values.get(Setting.GRACEFUL_TIMEOUT);
		boolean chosen = timeout.source().isExplicit() || graceful.source().isExplicit();
		if (chosen && ((Duration) timeout.value()).compareTo((Duration) graceful.value()) > 0) {
			warnings.add("Timeout " + values.get(Setting.TIMEOUT).display() + " is longer than the graceful timeout "
					+ values.get(Setting.GRACEFUL_TIMEOUT).display()
					+ ": requests still running at shutdown may be cut off");
		}
	}

	private void checkPair(Map<Setting, ConfiguredValue> values, List<InvalidValue> invalid, Setting present,
			Setting required) {
		ConfiguredValue given = values.get(present);
		if (given.value() == null || values.get(required).value() != null) {
			return;
		}
		String givenName = given.source().writtenName();
		boolean reported = invalid.stream().anyMatch((value) -> value.setting() == required);
		if (!reported) {
			String presentWord = present.propertyName().substring(present.propertyName().lastIndexOf('.') + 1);
			String requiredWord = required.propertyName().substring(required.propertyName().lastIndexOf('.') + 1);
			String requiredName = givenName.replace(presentWord.toUpperCase(Locale.ROOT),
					requiredWord.toUpperCase(Locale.ROOT))
				.replace(presentWord, requiredWord);
			invalid.add(new InvalidValue(required, requiredName, null, "required when " + givenName + " is set",
					"Set " + requiredName + " to the matching PEM file, or unset " + givenName + "."));
		}
		// Half a pair serves nothing: with on-invalid=default, HTTPS stays off
		values.put(present, defaulted(present, givenName));
	}

	private List<String> environmentVariableNames() {
		PropertySource<?> source = this.environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (source instanceof EnumerablePropertySource<?> enumerable) {
			return List.of(enumerable.getPropertyNames());
		}
		return List.of();
	}

	private @Nullable Found find(String propertyName) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(propertyName);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			Object underlying = source.getUnderlyingSource();
			String sourceName = (underlying instanceof PropertySource<?> propertySource) ? propertySource.getName()
					: "";
			if (APPLIED_PROPERTY_SOURCE_NAME.equals(sourceName)) {
				continue;
			}
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property == null || property.getValue() == null) {
				continue;
			}
			String value = this.environment.resolvePlaceholders(property.getValue().toString());
			if (!value.isBlank()) {
				return new Found(value, sourceOf(underlying, sourceName, property.getOrigin(), propertyName));
			}
		}
		return null;
	}

	private SettingSource sourceOf(Object underlying, String sourceName, @Nullable Origin origin, String propertyName) {
		String written = propertyName;
		if (origin instanceof PropertySourceOrigin propertySourceOrigin) {
			written = propertySourceOrigin.getPropertyName();
			origin = propertySourceOrigin.getOrigin();
		}
		if (origin instanceof SystemEnvironmentOrigin variable) {
			return new SettingSource(SettingSource.Kind.ENVIRONMENT_VARIABLE, variable.getProperty(), null);
		}
		if (underlying instanceof CommandLinePropertySource<?>) {
			return new SettingSource(SettingSource.Kind.COMMAND_LINE, written, null);
		}
		if (StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(sourceName)) {
			return new SettingSource(SettingSource.Kind.SYSTEM_PROPERTY, written, null);
		}
		String where = (origin == null || origin instanceof PropertySourceOrigin) ? null : origin.toString();
		return new SettingSource(SettingSource.Kind.PROPERTY, written, where);
	}

	static String display(Setting setting, @Nullable Object value) {
		if (value == null) {
			return switch (setting) {
				case KEEP_ALIVE -> "connection timeout";
				case BACKLOG -> "100";
				default -> "none";
			};
		}
		if (value instanceof Boolean bool) {
			return bool.toString();
		}
		if (value instanceof Duration duration) {
			return Values.formatDuration(duration);
		}
		if (value instanceof LogLevel || value instanceof OnInvalid) {
			return value.toString().toLowerCase(Locale.ROOT);
		}
		if (value instanceof Pattern pattern) {
			return pattern.pattern();
		}
		return value.toString();
	}

	private record Found(String value, SettingSource source) {
	}

}
