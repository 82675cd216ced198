package dev.twelvefactor.config;

import java.util.Locale;

/**
 * Format of access log lines: one of the named formats, or a Tomcat pattern.
 *
 * @param name {@code combined}, {@code common}, {@code json}, {@code ecs} or {@code pattern}
 * @param pattern the Tomcat pattern, for {@code pattern}, or the name otherwise
 * @author twelvefactor
 */
public record AccessLogFormat(String name, String pattern) {

	/**
	 * Name of a format given as a Tomcat pattern.
	 */
	public static final String PATTERN = "pattern";

	static final AccessLogFormat COMBINED = new AccessLogFormat("combined", "combined");

	static final String ACCEPTED = "combined, common, json, ecs, or a Tomcat access log pattern (containing %)";

	/**
	 * Return the access log format that a value, trimmed, stands for.
	 * @param value the value
	 * @return the format
	 * @throws IllegalArgumentException if the value is not one the setting accepts
	 */
	public static AccessLogFormat valueOf(String value) {
		String name = value.toLowerCase(Locale.ROOT);
		return switch (name) {
			case "combined", "common", "json", "ecs" -> new AccessLogFormat(name, name);
			default -> {
				if (value.indexOf('%') < 0 || value.length() > 1000) {
					throw new InvalidValueException("not a format name or a Tomcat pattern");
				}
				yield new AccessLogFormat(PATTERN, value);
			}
		};
	}

	@Override
	public String toString() {
		return PATTERN.equals(this.name) ? this.pattern : this.name;
	}

}
