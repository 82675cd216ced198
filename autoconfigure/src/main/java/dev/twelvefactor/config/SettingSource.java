package dev.twelvefactor.config;

import org.jspecify.annotations.Nullable;

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
	 * Return whether the value was set by the user rather than defaulted.
	 * @return whether the value was set explicitly
	 */
	public boolean isExplicit() {
		return this.kind != Kind.DEFAULT;
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
