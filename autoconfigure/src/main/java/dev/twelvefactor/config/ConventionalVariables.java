package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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

import dev.twelvefactor.config.GunicornArguments.Argument;

/**
 * The environment variables that set the starter's settings beyond Spring Boot's relaxed
 * binding: the conventional ones of Gunicorn and the platforms ({@code WEB_CONCURRENCY},
 * {@code PORT}...), those of Gunicorn's official image ({@code GUNICORN_BIND},
 * {@code GUNICORN_HOST} and {@code GUNICORN_PORT}, {@code GUNICORN_WORKERS}), the flags of
 * {@code GUNICORN_CMD_ARGS} and the image's {@code GUNICORN_ARGS} (see
 * {@link GunicornArguments}), and the canonical ones written with underscores between words
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

	/**
	 * Gunicorn's command-line flags, split as Gunicorn splits them.
	 */
	static final String COMMAND_ARGUMENTS = "GUNICORN_CMD_ARGS";

	/**
	 * The official image's extra command-line flags, split on white space as its entry
	 * point does.
	 */
	static final String IMAGE_ARGUMENTS = "GUNICORN_ARGS";

	/**
	 * Gunicorn's variables read besides the conventional variables of the settings.
	 */
	static final Set<String> GUNICORN_VARIABLES = Set.of("GUNICORN_BIND", "GUNICORN_HOST", "GUNICORN_PORT",
			"GUNICORN_WORKERS", COMMAND_ARGUMENTS, IMAGE_ARGUMENTS);

	private static final Map<String, String> VARIABLES = Map.of("bind", PORT, "workers", "WEB_CONCURRENCY",
			"timeout", "GUNICORN_TIMEOUT", "log-level", "LOG_LEVEL", "ssl.certfile", "SSL_CERTFILE", "ssl.keyfile",
			"SSL_KEYFILE", "ssl.ca-certs", "SSL_CA_CERTS", "forwarded-allow-ips", "FORWARDED_ALLOW_IPS");

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
	 * @return the flags that have no meaning here, and those without a value
	 */
	static Problems attach(ConfigurableEnvironment environment) {
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(PROPERTY_SOURCE_NAME);
		String systemEnvironmentName = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
		if (!(sources.get(systemEnvironmentName) instanceof SystemEnvironmentPropertySource systemEnvironment)) {
			return new Problems(List.of(), List.of());
		}
		Map<String, Object> withoutEmpty = new LinkedHashMap<>();
		systemEnvironment.getSource().forEach((name, value) -> {
			if (!isEmpty(value) || !name.toUpperCase(Locale.ROOT).startsWith("TWELVEFACTOR_")) {
				withoutEmpty.put(name, value);
			}
		});
		Map<String, Object> variables = systemEnvironment.getSource();
		Function<String, @Nullable String> value = (name) -> {
			Object written = variables.get(name);
			return isEmpty(written) ? null : String.valueOf(written);
		};
		String imageArguments = value.apply(IMAGE_ARGUMENTS);
		String commandArguments = value.apply(COMMAND_ARGUMENTS);
		GunicornArguments imageFlags = (imageArguments != null) ? GunicornArguments.imageArguments(imageArguments)
				: null;
		GunicornArguments commandFlags = (commandArguments != null)
				? GunicornArguments.commandArguments(commandArguments) : null;
		List<String> warnings = new ArrayList<>();
		for (GunicornArguments flags : new @Nullable GunicornArguments[] { imageFlags, commandFlags }) {
			if (flags != null) {
				warnings.addAll(flags.warnings());
			}
		}
		List<InvalidValue> invalid = new ArrayList<>();
		Map<String, Object> properties = new LinkedHashMap<>();
		Map<Setting, List<String>> bySetting = bySetting(variables);
		for (Setting setting : Setting.all()) {
			// Highest first: the canonical variable (and its other spellings); then, as
			// Gunicorn reads them, its command line (the image's GUNICORN_ARGS, and the
			// image's variables, which its entry point makes flags), GUNICORN_CMD_ARGS, and
			// the variables it reads as defaults. A flag without a value stops there, as it
			// stops Gunicorn.
			List<String> names = bySetting.getOrDefault(setting, List.of());
			String first = names.isEmpty() ? null : names.get(0);
			Argument written = (first != null) ? new Argument(first, value.apply(first)) : null;
			// The conventional variable ranks below Gunicorn's flags, any other spelling above
			Argument chosen = (first != null && !first.equals(setting.conventionalVariable())) ? written : null;
			if (chosen == null) {
				chosen = flag(imageFlags, setting, invalid);
			}
			if (chosen == null && !isInvalid(setting, invalid)) {
				chosen = imageVariable(setting, value);
			}
			if (chosen == null && !isInvalid(setting, invalid)) {
				chosen = flag(commandFlags, setting, invalid);
			}
			if (chosen == null && !isInvalid(setting, invalid)) {
				chosen = written;
			}
			if (chosen != null) {
				properties.put(setting.propertyName(),
						OriginTrackedValue.of(chosen.value(), new SystemEnvironmentOrigin(chosen.origin())));
			}
		}
		if (withoutEmpty.size() < systemEnvironment.getSource().size()) {
			sources.replace(systemEnvironmentName, new NonEmptySystemEnvironmentPropertySource(systemEnvironment,
					withoutEmpty));
		}
		sources.addBefore(systemEnvironmentName,
				new OriginTrackedMapPropertySource(PROPERTY_SOURCE_NAME, properties, true));
		return new Problems(warnings, invalid);
	}

	private static @Nullable Argument flag(@Nullable GunicornArguments flags, Setting setting,
			List<InvalidValue> invalid) {
		if (flags == null) {
			return null;
		}
		Argument argument = flags.get(setting);
		String missing = flags.missingValue(setting);
		if (argument == null && missing != null) {
			String name = flags.variable() + " " + missing;
			invalid.add(new InvalidValue(setting, name, null, "no value given; accepted: " + setting.accepted(),
					"Give " + name + " a value, or remove it."));
		}
		return argument;
	}

	private static boolean isInvalid(Setting setting, List<InvalidValue> invalid) {
		return invalid.stream().anyMatch((value) -> value.setting() == setting);
	}

	/**
	 * Return what the official image's variables give a setting: the bind from
	 * {@code GUNICORN_BIND}, or from {@code GUNICORN_HOST} and {@code GUNICORN_PORT} with
	 * the image's defaults ({@code 0.0.0.0}, {@code 8000}), the workers from
	 * {@code GUNICORN_WORKERS}.
	 */
	private static @Nullable Argument imageVariable(Setting setting, Function<String, @Nullable String> value) {
		if ("workers".equals(setting.name())) {
			String workers = value.apply("GUNICORN_WORKERS");
			return (workers != null) ? new Argument("GUNICORN_WORKERS", workers) : null;
		}
		if (!"bind".equals(setting.name())) {
			return null;
		}
		String bind = value.apply("GUNICORN_BIND");
		if (bind != null) {
			return new Argument("GUNICORN_BIND", bind);
		}
		String host = value.apply("GUNICORN_HOST");
		String port = value.apply("GUNICORN_PORT");
		if (host == null) {
			return (port != null) ? new Argument("GUNICORN_PORT", port) : null;
		}
		String address = (host.indexOf(':') >= 0 && !host.strip().startsWith("[")) ? "[" + host.strip() + "]"
				: host.strip();
		return new Argument((port != null) ? "GUNICORN_HOST, GUNICORN_PORT" : "GUNICORN_HOST",
				address + ":" + ((port != null) ? port.strip() : "8000"));
	}

	/**
	 * Return whether the variable of that name sets the port only, on all IPv4 interfaces.
	 * @param name the variable's name
	 * @return whether it is {@code PORT} or {@code GUNICORN_PORT}
	 */
	static boolean isPortOnly(String name) {
		return PORT.equals(name) || "GUNICORN_PORT".equals(name);
	}

	/**
	 * Return the variables of Gunicorn's official image that set a setting, besides its
	 * conventional variable, in the order they are read.
	 * @param setting the setting
	 * @return the variables
	 */
	static List<String> imageVariables(Setting setting) {
		return switch (setting.name()) {
			case "bind" -> List.of("GUNICORN_BIND", "GUNICORN_HOST", "GUNICORN_PORT");
			case "workers" -> List.of("GUNICORN_WORKERS");
			default -> List.of();
		};
	}

	/**
	 * What reading the variables found wrong: flags that have no meaning here, and flags
	 * given without a value.
	 *
	 * @param warnings the warnings to give
	 * @param invalid the invalid values
	 */
	record Problems(List<String> warnings, List<InvalidValue> invalid) {

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
