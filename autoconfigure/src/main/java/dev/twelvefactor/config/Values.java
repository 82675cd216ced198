package dev.twelvefactor.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.convert.DurationStyle;

/**
 * Strict parsers shared by the settings. Stricter than Spring's conversion on purpose: no
 * hexadecimal, no signs, no non-ASCII digits, no exponents, as Gunicorn's {@code int()}.
 *
 * @author twelvefactor
 */
final class Values {

	/**
	 * Longest duration any setting accepts: Tomcat keeps its timeouts as int milliseconds,
	 * and a day is already far past any sensible request or shutdown deadline.
	 */
	static final Duration MAX_DURATION = Duration.ofDays(1);

	static final String DURATION_ACCEPTED = "a duration from 0 to 1 day: a number of seconds (60) or a number "
			+ "with a unit (500ms, 90s, 2m, 1h)";

	private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]{1,9}");

	private static final Pattern DURATION = Pattern.compile("[0-9]{1,12}(ns|us|ms|s|m|h|d)?|P[0-9TDHMS.]{1,30}",
			Pattern.CASE_INSENSITIVE);

	private Values() {
	}

	static int parseWholeNumber(String value, int min, int max, String what) {
		if (value.startsWith("-")) {
			throw new InvalidValueException("negative");
		}
		if (!ASCII_DIGITS.matcher(value).matches()) {
			throw new InvalidValueException("not a whole number");
		}
		int number = Integer.parseInt(value);
		if (number < min || number > max) {
			throw new InvalidValueException(what + " out of range");
		}
		return number;
	}

	static Duration parseDuration(String value) {
		if (value.startsWith("-")) {
			throw new InvalidValueException("negative");
		}
		if (!DURATION.matcher(value).matches()) {
			throw new InvalidValueException("not a duration");
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value, ChronoUnit.SECONDS);
		}
		catch (RuntimeException ex) {
			throw new InvalidValueException("not a duration");
		}
		if (duration.isNegative() || duration.compareTo(MAX_DURATION) > 0) {
			throw new InvalidValueException("duration out of range");
		}
		return duration;
	}

	static Pattern parseRegex(String value) {
		if (value.length() > 1000) {
			throw new InvalidValueException("longer than 1000 characters");
		}
		try {
			return Pattern.compile(value);
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidValueException("not a valid regular expression: " + ex.getDescription());
		}
	}

	static boolean parseBoolean(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new InvalidValueException("not true or false");
		};
	}

	static Path path(String value) {
		if (value.isEmpty() || value.length() > 4096 || value.indexOf('\0') >= 0) {
			throw new InvalidValueException("not a usable file path");
		}
		try {
			return Path.of(value);
		}
		catch (InvalidPathException ex) {
			throw new InvalidValueException("not a usable file path");
		}
	}

	static String formatDuration(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		if (duration.toMillisPart() != 0 || duration.toNanosPart() % 1_000_000 != 0) {
			return (duration.toNanosPart() % 1_000_000 != 0) ? duration.toNanos() + "ns" : duration.toMillis() + "ms";
		}
		return duration.toSeconds() + "s";
	}

	/**
	 * Return a value as it can safely be shown in a log line or a failure report: control
	 * characters escaped, and long values cut.
	 * @param value the value as the user wrote it
	 * @return the printable form, in double quotes
	 */
	static String printable(String value) {
		int limit = 80;
		StringBuilder printable = new StringBuilder("\"");
		int shown = Math.min(value.length(), limit);
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				printable.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)) {
				printable.append(String.format("\\u%04x", (int) c));
			}
			else {
				printable.append(c);
			}
		}
		printable.append('"');
		if (value.length() > limit) {
			printable.append(" (").append(value.length() - limit).append(" more characters)");
		}
		return printable.toString();
	}

}
