package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The environment variables that set the starter's settings beyond Spring Boot's relaxed
 * binding: the conventional ones of Gunicorn and the platforms ({@code WEB_CONCURRENCY},
 * {@code PORT}...) and the canonical ones written with underscores between words
 * ({@code TWELVEFACTOR_GRACEFUL_TIMEOUT}), which relaxed binding would not map. They are
 * mapped onto {@code twelvefactor.*} properties in a property source just above the system
 * environment, each value keeping the variable it came from as its origin, so that
 * command-line arguments and system properties still win and the application's
 * configuration files lose. An empty variable counts as unset.
 *
 * @author twelvefactor
 */
final class ConventionalVariables {

	/**
	 * Name of the property source of the variables.
	 */
	static final String PROPERTY_SOURCE_NAME = "twelvefactorVariables";

	/**
	 * The variable that sets the port only: the address stays all IPv4 interfaces.
	 */
	static final String PORT = "PORT";

	private static final Map<String, String> VARIABLES = Map.of("bind", PORT, "workers", "WEB_CONCURRENCY",
			"timeout", "GUNICORN_TIMEOUT", "log-level", "LOG_LEVEL", "ssl.certfile", "SSL_CERTFILE", "ssl.keyfile",
			"SSL_KEYFILE", "ssl.ca-certs", "SSL_CA_CERTS");

	private ConventionalVariables() {
	}

	/**
	 * Return the conventional variable of a setting.
	 * @param setting the setting
	 * @return the variable, or {@code null} when it has none
	 */
	static @Nullable String of(Setting setting) {
		return VARIABLES.get(setting.name());
	}

	/**
	 * Add, or replace, the property source of the variables, and hide the empty
	 * {@code TWELVEFACTOR_*} variables from the system environment so that they do not
	 * shadow the application's configuration files.
	 * @param environment the environment
	 */
	static void attach(ConfigurableEnvironment environment) {
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(PROPERTY_SOURCE_NAME);
		String systemEnvironmentName = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
		if (!(sources.get(systemEnvironmentName) instanceof SystemEnvironmentPropertySource systemEnvironment)) {
			return;
		}
		Map<String, Object> withoutEmpty = new LinkedHashMap<>();
		systemEnvironment.getSource().forEach((name, value) -> {
			if (!isEmpty(value) || !name.toUpperCase(Locale.ROOT).startsWith("TWELVEFACTOR_")) {
				withoutEmpty.put(name, value);
			}
		});
		Map<String, Object> properties = new LinkedHashMap<>();
		bySetting(systemEnvironment.getSource()).forEach((setting, variables) -> {
			String variable = variables.get(0);
			properties.put(setting.propertyName(),
					OriginTrackedValue.of(systemEnvironment.getSource().get(variable), new SystemEnvironmentOrigin(variable)));
		});
		if (withoutEmpty.size() < systemEnvironment.getSource().size()) {
			sources.replace(systemEnvironmentName, new NonEmptySystemEnvironmentPropertySource(systemEnvironment,
					withoutEmpty));
		}
		sources.addBefore(systemEnvironmentName,
				new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, properties, true));
	}

	/**
	 * Return, for each setting that environment variables set, those variables, the one
	 * that wins first: the canonical variable (as written in capitals, then in another
	 * case), Spring Boot's relaxed form of it, the conventional variable (as written only),
	 * then any other spelling that Spring Boot's relaxed binding of the system environment
	 * reads for the setting's property ({@code twelvefactor__workers}). Empty variables
	 * count as unset. What the report names as the source, what the did-you-mean advice
	 * takes as read, and what runs, all come from here.
	 * @param variables the environment variables
	 * @return the variables of each setting, in the order of the settings
	 */
	static Map<Setting, List<String>> bySetting(Map<String, Object> variables) {
		Map<String, List<String>> spellings = new LinkedHashMap<>();
		List<String> others = new ArrayList<>();
		variables.forEach((name, value) -> {
			if (isEmpty(value)) {
				return;
			}
			String upper = name.toUpperCase(Locale.ROOT);
			if (upper.startsWith("TWELVEFACTOR_")) {
				List<String> names = spellings.computeIfAbsent(upper, (key) -> new ArrayList<>());
				// The exact upper-case name wins over another spelling of it
				names.add(name.equals(upper) ? 0 : names.size(), name);
			}
			else if (VARIABLES.containsValue(name)) {
				spellings.computeIfAbsent(name, (key) -> new ArrayList<>()).add(name);
			}
			if (upper.startsWith("TWELVEFACTOR")) {
				others.add(name);
			}
		});
		Map<Setting, List<String>> bySetting = new LinkedHashMap<>();
		for (Setting setting : Setting.all()) {
			List<String> found = new ArrayList<>();
			for (@Nullable String candidate : new @Nullable String[] { setting.canonicalVariable(),
					setting.relaxedVariable(), setting.conventionalVariable() }) {
				if (candidate != null) {
					spellings.getOrDefault(candidate, List.of())
						.stream()
						.filter((name) -> !found.contains(name))
						.forEach(found::add);
				}
			}
			ConfigurationPropertyName property = ConfigurationPropertyName.of(setting.propertyName());
			others.stream()
				.filter((name) -> !found.contains(name) && readsAs(name, variables.get(name), property))
				.sorted()
				.forEach(found::add);
			if (!found.isEmpty()) {
				bySetting.put(setting, List.copyOf(found));
			}
		}
		return bySetting;
	}

	/**
	 * Return whether Spring Boot's relaxed binding of the system environment reads the
	 * given variable for the given property.
	 */
	private static boolean readsAs(String variable, @Nullable Object value, ConfigurationPropertyName property) {
		ConfigurationPropertySource source = ConfigurationPropertySource
			.from(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of(variable, (value != null) ? value : "")));
		return source != null && source.getConfigurationProperty(property) != null;
	}

	private static boolean isEmpty(@Nullable Object value) {
		return value == null || Values.trim(value.toString()).isEmpty();
	}

	/**
	 * The system environment without the empty {@code TWELVEFACTOR_*} variables, each
	 * variable keeping its origin.
	 */
	private static final class NonEmptySystemEnvironmentPropertySource extends SystemEnvironmentPropertySource
			implements OriginLookup<String>, PropertySourceInfo {

		private final SystemEnvironmentPropertySource original;

		NonEmptySystemEnvironmentPropertySource(SystemEnvironmentPropertySource original, Map<String, Object> variables) {
			super(original.getName(), variables);
			this.original = original;
		}

		@Override
		public @Nullable Origin getOrigin(String key) {
			String variable = resolvePropertyName(key);
			return containsProperty(variable) ? new SystemEnvironmentOrigin(variable) : null;
		}

		@Override
		public @Nullable String getPrefix() {
			return (this.original instanceof PropertySourceInfo info) ? info.getPrefix() : null;
		}

		@Override
		public boolean isImmutable() {
			return true;
		}

	}

}
