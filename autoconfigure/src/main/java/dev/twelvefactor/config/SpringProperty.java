package dev.twelvefactor.config;

/**
 * A Spring Boot property that the user set and that a setting maps to.
 *
 * @param name the property name, such as {@code server.port}
 * @param value the value the user set
 * @param source where the user set it
 * @param overridden whether the starter overrides it ({@code true}) or leaves it alone
 * @author twelvefactor
 */
public record SpringProperty(String name, String value, SettingSource source, boolean overridden) {

	/**
	 * Return the property as the startup report shows it: the value masked when it is a
	 * secret, and escaped.
	 */
	@Override
	public String toString() {
		return this.overridden ? "overrides " + this.name + "=" + Values.escape(SensitiveNames.mask(this.name, this.value))
				: this.name + " as set";
	}

}
