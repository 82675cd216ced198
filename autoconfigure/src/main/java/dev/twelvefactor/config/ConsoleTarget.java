package dev.twelvefactor.config;

import java.util.Locale;

/**
 * Standard stream that the application's console log is written to.
 *
 * @author twelvefactor
 */
public enum ConsoleTarget {

	/**
	 * Standard error, so that standard output carries the access log only.
	 */
	STDERR,

	/**
	 * Standard output, as Spring Boot does by default.
	 */
	STDOUT;

	static final String ACCEPTED = "'-' or 'stderr' for standard error, or 'stdout'";

	static ConsoleTarget parse(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "-", "stderr" -> STDERR;
			case "stdout" -> STDOUT;
			default -> throw new InvalidValueException("not a console stream");
		};
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
