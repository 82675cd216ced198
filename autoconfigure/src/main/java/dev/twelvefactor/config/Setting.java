package dev.twelvefactor.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * One setting of the starter, as {@link TwelveFactorProperties} declares it: its names,
 * how a value is converted and described, and how its default reads. The settings are
 * found by reading the properties class, so that a new setting is a new field there.
 *
 * @param name the name of the setting under {@code twelvefactor.}, such as
 * {@code graceful-timeout} or {@code ssl.certfile}
 * @param field the field that holds it
 * @author twelvefactor
 */
record Setting(String name, Field field) {

	static final String PREFIX = "twelvefactor";

	private static final String CANONICAL_PREFIX = "TWELVEFACTOR_";

	private static final Map<String, Setting> SETTINGS = scan(TwelveFactorProperties.class, "");

	private static final Map<ConfigurationPropertyName, Setting> BY_PROPERTY_NAME = byPropertyName();

	/**
	 * Labels that are not the name with spaces between its words: the report's labels are
	 * stable, and keep-alive is one word.
	 */
	private static final Map<String, String> LABELS = Map.of("keep-alive", "Keep-alive");

	/**
	 * Descriptions of the defaults that are not a plain value of the field.
	 */
	private static final Map<String, String> DEFAULTS = Map.of("workers", "auto", "keep-alive",
			"Tomcat's: the connection timeout", "max-queue-wait", "half the timeout, at most 10s", "drain-delay",
			Values.formatDuration(EffectiveConfiguration.KUBERNETES_DRAIN_DELAY) + " on Kubernetes, else 0s");

	/**
	 * Return every setting, in the order the properties class declares them.
	 * @return the settings
	 */
	static List<Setting> all() {
		return List.copyOf(SETTINGS.values());
	}

	/**
	 * Return the setting of the given property name, such as {@code twelvefactor.workers}.
	 * @param name the property name
	 * @return the setting, or {@code null} when the name is not one of a setting
	 */
	static @Nullable Setting of(ConfigurationPropertyName name) {
		return BY_PROPERTY_NAME.get(name);
	}

	/**
	 * Return the setting of the given name.
	 * @param name the name under {@code twelvefactor.}, such as {@code workers}
	 * @return the setting
	 */
	static Setting named(String name) {
		Setting setting = SETTINGS.get(name);
		if (setting == null) {
			throw new IllegalArgumentException("No setting " + name);
		}
		return setting;
	}

	private static Map<String, Setting> scan(Class<?> type, String prefix) {
		Map<String, Setting> settings = new LinkedHashMap<>();
		for (Field field : type.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers())) {
				continue;
			}
			String name = prefix + toKebabCase(field.getName());
			if (field.getType().getEnclosingClass() == TwelveFactorProperties.class && !field.getType().isEnum()) {
				settings.putAll(scan(field.getType(), name + "."));
			}
			else {
				settings.put(name, new Setting(name, field));
			}
		}
		return Collections.unmodifiableMap(settings);
	}

	private static Map<ConfigurationPropertyName, Setting> byPropertyName() {
		Map<ConfigurationPropertyName, Setting> settings = new LinkedHashMap<>();
		SETTINGS.values().forEach((setting) -> settings.put(ConfigurationPropertyName.of(setting.propertyName()), setting));
		return Collections.unmodifiableMap(settings);
	}

	private static String toKebabCase(String name) {
		StringBuilder kebab = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				kebab.append('-').append(Character.toLowerCase(c));
			}
			else {
				kebab.append(c);
			}
		}
		return kebab.toString();
	}

	/**
	 * Return the property name, such as {@code twelvefactor.graceful-timeout}.
	 * @return the property name
	 */
	String propertyName() {
		return PREFIX + "." + this.name;
	}

	/**
	 * Return the label of the setting in the startup report, such as
	 * {@code Graceful timeout}.
	 * @return the label
	 */
	String label() {
		String label = LABELS.get(this.name);
		return (label != null) ? label : StringUtils.capitalize(this.name.replace('.', ' ').replace('-', ' '));
	}

	/**
	 * Return the canonical environment variable, such as
	 * {@code TWELVEFACTOR_GRACEFUL_TIMEOUT}.
	 * @return the variable name
	 */
	String canonicalVariable() {
		return CANONICAL_PREFIX + this.name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

	/**
	 * Return the variable that Spring Boot's relaxed binding maps to the property, such as
	 * {@code TWELVEFACTOR_GRACEFULTIMEOUT}. Accepted too, below the canonical one.
	 * @return the variable name
	 */
	String relaxedVariable() {
		return CANONICAL_PREFIX + this.name.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
	}

	/**
	 * Return the conventional variable of the setting, as Gunicorn and the platforms name
	 * it, such as {@code WEB_CONCURRENCY}.
	 * @return the variable name, or {@code null}
	 */
	@Nullable String conventionalVariable() {
		return ConventionalVariables.of(this);
	}

	/**
	 * Return the environment variables that set the setting, canonical first.
	 * @return the variable names
	 */
	List<String> variables() {
		List<String> variables = new ArrayList<>();
		variables.add(canonicalVariable());
		variables.addAll(ConventionalVariables.imageVariables(this));
		String conventional = conventionalVariable();
		if (conventional != null) {
			variables.add(conventional);
		}
		return List.copyOf(variables);
	}

	/**
	 * Return whether a value of the setting may be a secret, and must never be shown
	 * unless it was found to be what it should: a private key's path, where the key itself
	 * is a common mistake, or a setting whose name is that of a secret.
	 * @return whether the setting's values may be secret
	 */
	boolean isSecret() {
		Pem pem = this.field.getAnnotation(Pem.class);
		return (pem != null && pem.value() == Pem.Content.PRIVATE_KEY) || SensitiveNames.isSensitive(this.name);
	}

	/**
	 * Return whether the setting protects the server or its secrets: an invalid value stops
	 * the start whatever {@code on-invalid} says, since its default would be less safe than
	 * what was asked for (see {@link #failsClosedBecause()}).
	 * @return whether the setting is a security setting
	 */
	boolean isSecurity() {
		return failsClosedBecause() != null;
	}

	/**
	 * Return why an invalid value of the setting is never replaced by its default, or
	 * {@code null} when it may be: a certificate, its key, the CA certificates of clients
	 * (the default, no TLS, would serve in the clear); the address to listen on (the
	 * default, every interface, may reach further than the one address asked for); the
	 * query parameters the access log masks (the default list may not hold the ones asked
	 * for, whose values would then be logged).
	 * @return the reason, or {@code null}
	 */
	@Nullable String failsClosedBecause() {
		if (this.field.isAnnotationPresent(Pem.class)) {
			return "TLS settings are never replaced by their default, whatever TWELVEFACTOR_ON_INVALID says: the "
					+ "default, no TLS, would serve in the clear what was meant to be protected.";
		}
		if (this.name.equals("bind")) {
			return "The address to listen on is never replaced by its default, whatever TWELVEFACTOR_ON_INVALID "
					+ "says: the default, every interface, may reach further than the address that was meant.";
		}
		if (this.name.equals("access-log-mask")) {
			return "The access log's masked parameters are never replaced by their default, whatever "
					+ "TWELVEFACTOR_ON_INVALID says: the default list may not hold the parameters that were meant "
					+ "to be masked, whose values would then be logged.";
		}
		return null;
	}

	/**
	 * Return the setting's value in the given properties.
	 * @param properties the properties
	 * @return the value
	 */
	@Nullable Object value(TwelveFactorProperties properties) {
		return new BeanWrapperImpl(properties).getPropertyValue(beanPath());
	}

	/**
	 * Set the setting's value in the given properties.
	 * @param properties the properties
	 * @param value the value
	 */
	void setValue(TwelveFactorProperties properties, @Nullable Object value) {
		new BeanWrapperImpl(properties).setPropertyValue(beanPath(), value);
	}

	private String beanPath() {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : this.name.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

	/**
	 * Convert a value, as the user wrote it and trimmed, strictly.
	 * @param value the value
	 * @return the converted value
	 * @throws InvalidValueException if the value is not one the setting accepts
	 */
	Object convert(String value) {
		Class<?> type = type();
		if (type == Integer.class) {
			WholeNumber bounds = this.field.getAnnotation(WholeNumber.class);
			return Values.parseWholeNumber(value, bounds.min(), bounds.max(), this.name);
		}
		if (type == Duration.class) {
			return Values.parseDuration(value, durationUnit(), maxDuration());
		}
		if (type == Boolean.class) {
			return Values.parseBoolean(value);
		}
		if (type == LogLevel.class) {
			return Values.parseLogLevel(value);
		}
		if (type == Pattern.class) {
			return Values.parseRegex(value);
		}
		if (type == String.class && this.field.isAnnotationPresent(Pem.class)) {
			return PemFile.check(value, this.field.getAnnotation(Pem.class).value()).toString();
		}
		if (type == Bind.class) {
			return Bind.valueOf(value);
		}
		if (type == AccessLogTarget.class) {
			return AccessLogTarget.valueOf(value);
		}
		if (type == AccessLogFormat.class) {
			return AccessLogFormat.valueOf(value);
		}
		if (type == ConsoleTarget.class) {
			return ConsoleTarget.parse(value);
		}
		if (type == AccessLogMask.class) {
			return AccessLogMask.valueOf(value);
		}
		if (type == Workers.class) {
			return Workers.valueOf(value);
		}
		if (type == ForwardedAllowIps.class) {
			return ForwardedAllowIps.valueOf(value);
		}
		if (type.isEnum()) {
			return Values.parseEnum(type.asSubclass(Enum.class), value);
		}
		if (type == String.class) {
			return value;
		}
		throw new IllegalStateException("No conversion to " + type.getName() + " for " + propertyName());
	}

	/**
	 * Return a description of the values the setting accepts.
	 * @return the accepted values
	 */
	String accepted() {
		Class<?> type = type();
		if (type == Integer.class) {
			WholeNumber bounds = this.field.getAnnotation(WholeNumber.class);
			return "a whole number from " + bounds.min() + " to " + bounds.max();
		}
		if (type == Duration.class) {
			return Values.durationAccepted(durationUnit(), maxDuration());
		}
		if (type == Boolean.class) {
			return "true or false";
		}
		if (type == LogLevel.class) {
			return "trace, debug, info, warn (or warning), error (or critical), or off, in any case";
		}
		if (type == Pattern.class) {
			return "a regular expression (java.util.regex)";
		}
		if (type == String.class && this.field.isAnnotationPresent(Pem.class)) {
			return (this.field.getAnnotation(Pem.class).value() == Pem.Content.PRIVATE_KEY)
					? "the path of a readable PEM file holding a private key"
					: "the path of a readable PEM file holding certificates";
		}
		if (type == Bind.class) {
			return Bind.ACCEPTED;
		}
		if (type == AccessLogTarget.class) {
			return AccessLogTarget.ACCEPTED;
		}
		if (type == AccessLogFormat.class) {
			return AccessLogFormat.ACCEPTED;
		}
		if (type == ConsoleTarget.class) {
			return ConsoleTarget.ACCEPTED;
		}
		if (type == AccessLogMask.class) {
			return AccessLogMask.ACCEPTED;
		}
		if (type == Workers.class) {
			return Workers.ACCEPTED;
		}
		if (type == ForwardedAllowIps.class) {
			return ForwardedAllowIps.ACCEPTED;
		}
		if (type.isEnum()) {
			return Values.acceptedEnum(type);
		}
		return "any text";
	}

	/**
	 * Return the description of the default, as the documentation shows it.
	 * @return the default's description
	 */
	String describeDefault() {
		String described = DEFAULTS.get(this.name);
		return (described != null) ? described : display(value(new TwelveFactorProperties()));
	}

	/**
	 * Return a value of the setting as the startup report shows it, with invisible
	 * characters escaped.
	 * @param value the value
	 * @return the value's display
	 */
	static String display(@Nullable Object value) {
		if (value == null) {
			return "none";
		}
		if (value instanceof Duration duration) {
			return Values.formatDuration(duration);
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
		if (value instanceof Pattern pattern) {
			return Values.escape(pattern.pattern());
		}
		return Values.escape(value.toString());
	}

	private Class<?> type() {
		return ClassUtils.resolvePrimitiveIfNecessary(this.field.getType());
	}

	private Duration maxDuration() {
		MaxDuration max = this.field.getAnnotation(MaxDuration.class);
		return (max != null) ? Duration.ofDays(max.days()) : Values.MAX_DURATION;
	}

	private ChronoUnit durationUnit() {
		DurationUnit unit = this.field.getAnnotation(DurationUnit.class);
		return (unit != null) ? unit.value() : ChronoUnit.MILLIS;
	}

	@Override
	public String toString() {
		return propertyName();
	}

}
