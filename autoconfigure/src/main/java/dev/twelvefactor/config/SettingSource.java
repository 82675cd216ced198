package dev.twelvefactor.config;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Where the value of a setting came from.
 *
 * @param kind the kind of source
 * @param name the variable or property name as the user wrote it, or, for a default, how
 * the default was worked out
 * @param origin where the property was found (a file and line), when known
 * @author twelvefactor
 */
public record SettingSource(Kind kind, String name, @Nullable String origin) {

	static SettingSource defaultValue(String description) {
		return new SettingSource(Kind.DEFAULT, description, null);
	}

	/**
	 * Return the source of a property found in the environment, from its origin: the
	 * variable, the command-line argument, the system property, or the file and line.
	 * @param property the property
	 * @return its source
	 */
	static SettingSource of(ConfigurationProperty property) {
		Origin origin = property.getOrigin();
		String written = property.getName().toString();
		if (origin instanceof PropertySourceOrigin propertySourceOrigin) {
			written = propertySourceOrigin.getPropertyName();
			origin = propertySourceOrigin.getOrigin();
		}
		if (origin instanceof SystemEnvironmentOrigin variable) {
			return new SettingSource(Kind.ENVIRONMENT_VARIABLE, variable.getProperty(), null);
		}
		Object underlying = (property.getSource() != null) ? property.getSource().getUnderlyingSource() : null;
		if (underlying instanceof CommandLinePropertySource<?>) {
			return new SettingSource(Kind.COMMAND_LINE, written, null);
		}
		if (underlying instanceof PropertySource<?> source
				&& StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())) {
			return new SettingSource(Kind.SYSTEM_PROPERTY, written, null);
		}
		String where = (origin == null || origin instanceof PropertySourceOrigin) ? null : origin.toString();
		return new SettingSource(Kind.PROPERTY, written, where);
	}

	/**
	 * Return whether the user set the setting itself, rather than leaving it to its
	 * default or to a Spring Boot property of their own.
	 * @return whether the setting was set explicitly
	 */
	public boolean isExplicit() {
		return this.kind != Kind.DEFAULT && this.kind != Kind.SPRING_PROPERTY;
	}

	/**
	 * Return the name as the user would write it where they set it: {@code --name} on the
	 * command line, {@code -Dname} for a system property.
	 * @return the name as written
	 */
	public String writtenName() {
		return switch (this.kind) {
			case COMMAND_LINE -> "--" + this.name;
			case SYSTEM_PROPERTY -> "-D" + this.name;
			default -> this.name;
		};
	}

	@Override
	public String toString() {
		return (this.origin != null) ? writtenName() + " from " + this.origin : writtenName();
	}

	/**
	 * Kinds of source, in the order of precedence, highest first.
	 */
	public enum Kind {

		/**
		 * A command-line argument.
		 */
		COMMAND_LINE,

		/**
		 * A Java system property.
		 */
		SYSTEM_PROPERTY,

		/**
		 * An environment variable, canonical or conventional.
		 */
		ENVIRONMENT_VARIABLE,

		/**
		 * A {@code twelvefactor.*} property from the application's configuration.
		 */
		PROPERTY,

		/**
		 * A Spring Boot property that the user set and the starter left alone.
		 */
		SPRING_PROPERTY,

		/**
		 * The starter's default.
		 */
		DEFAULT

	}

}
