package dev.twelvefactor.config;

import org.jspecify.annotations.Nullable;

/**
 * A value that a setting does not accept.
 *
 * @param setting the setting
 * @param name the variable or property name as the user wrote it
 * @param value the value as written, {@link #HIDDEN} for one that may be secret, or
 * {@code null} for a required value that is missing
 * @param reason what is wrong with it
 * @param action what to do about it
 * @author twelvefactor
 */
record InvalidValue(Setting setting, String name, @Nullable String value, String reason, String action) {

	/**
	 * Value of an invalid value that must not be shown.
	 */
	static final String HIDDEN = "(value hidden)";

	/**
	 * Hide the value of a setting that may hold a secret, whatever is wrong with it: a
	 * private key's path that is not one may be the key itself.
	 */
	InvalidValue {
		if (value != null && (setting.isSecret() || SensitiveNames.isSensitive(name))) {
			value = HIDDEN;
		}
	}

	/**
	 * Create the invalid value of a setting whose conversion failed.
	 * @param setting the setting
	 * @param source where the value was set
	 * @param written the value as written
	 * @param ex why it was refused
	 * @return the invalid value
	 */
	static InvalidValue of(Setting setting, SettingSource source, String written, InvalidValueException ex) {
		boolean port = ConventionalVariables.isPortOnly(source.name());
		String accepted = port ? "a port from 1 to 65535; " + source.name() + " sets the port only" : setting.accepted();
		String name = source.writtenName();
		String action = "Set " + name + " to " + accepted + ", or unset it to use the default ("
				+ setting.describeDefault() + ").";
		if (port && written.indexOf(':') >= 0) {
			action = "Set " + setting.canonicalVariable() + " to choose the address and the port (such as "
					+ setting.canonicalVariable() + "=127.0.0.1:8000), and unset " + source.name() + ".";
		}
		return new InvalidValue(setting, name, ex.hideValue() ? HIDDEN : Values.trim(written),
				ex.getMessage() + "; accepted: " + accepted, action);
	}

	/**
	 * Create the invalid value of a setting that breaks a rule with other settings.
	 * @param setting the setting
	 * @param source where the value was set
	 * @param value the value as shown, or {@code null} when it is missing
	 * @param reason what is wrong
	 * @param action what to do
	 * @return the invalid value
	 */
	static InvalidValue of(Setting setting, SettingSource source, @Nullable String value, String reason,
			String action) {
		return new InvalidValue(setting, source.writtenName(), value, reason, action);
	}

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
