package dev.twelvefactor.config;

import org.jspecify.annotations.Nullable;

/**
 * A value that a setting does not accept.
 *
 * @param setting the setting
 * @param name the variable or property name as the user wrote it
 * @param value the value as written, or {@code null} for a required value that is missing
 * @param reason what is wrong with it
 * @param action what to do about it
 * @author twelvefactor
 */
public record InvalidValue(Setting setting, String name, @Nullable String value, String reason, String action) {

	/**
	 * Value of an invalid value that must not be shown.
	 */
	static final String HIDDEN = "(value hidden)";

	/**
	 * Return a one-line description that is safe to print: the value is quoted, escaped
	 * and cut to a printable length.
	 * @return the description
	 */
	public String describe() {
		String shown = (this.value == null) ? "(not set)"
				: HIDDEN.equals(this.value) ? HIDDEN : Values.printable(this.value);
		return this.name + "=" + shown + ": " + this.reason;
	}

}
