package dev.twelvefactor.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.logging.LogLevel;

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

	static Duration parseDuration(String value, ChronoUnit unit) {
		return parseDuration(value, unit, MAX_DURATION);
	}

	static Duration parseDuration(String value, ChronoUnit unit, Duration max) {
		if (value.startsWith("-")) {
			throw new InvalidValueException("negative");
		}
		if (!DURATION.matcher(value).matches()) {
			throw new InvalidValueException("not a duration");
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value, unit);
		}
		catch (RuntimeException ex) {
			throw new InvalidValueException("not a duration");
		}
		if (duration.isNegative() || duration.compareTo(max) > 0) {
			throw new InvalidValueException("duration out of range");
		}
		return duration;
	}

	/**
	 * Return what a duration setting accepts.
	 * @param unit the unit of a bare number
	 * @param max the longest duration
	 * @return the accepted values
	 */
	static String durationAccepted(ChronoUnit unit, Duration max) {
		if (unit == ChronoUnit.SECONDS && max.equals(MAX_DURATION)) {
			return DURATION_ACCEPTED;
		}
		boolean days = unit == ChronoUnit.DAYS;
		return "a duration from 0 to " + max.toDays() + " days: a number of " + (days ? "days (30)" : "seconds (60)")
				+ " or a number with a unit (" + (days ? "12h, 30d" : "500ms, 90s, 2m, 1h") + ")";
	}

	/**
	 * Return a value without the whitespace around it that shells, compose files and
	 * configuration files add: spaces, tabs, line and page breaks. Other space-like
	 * characters (a no-break or zero-width space) are kept, so that a value holding one
	 * is refused, and shown escaped, rather than silently changed.
	 * @param value the value as written
	 * @return the value without surrounding ASCII whitespace
	 */
	static String trim(String value) {
		int start = 0;
		int end = value.length();
		while (start < end && isAsciiWhitespace(value.charAt(start))) {
			start++;
		}
		while (end > start && isAsciiWhitespace(value.charAt(end - 1))) {
			end--;
		}
		return value.substring(start, end);
	}

	private static boolean isAsciiWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
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

	static LogLevel parseLogLevel(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "trace" -> LogLevel.TRACE;
			case "debug" -> LogLevel.DEBUG;
			case "info" -> LogLevel.INFO;
			case "warn", "warning" -> LogLevel.WARN;
			case "error", "critical", "fatal" -> LogLevel.ERROR;
			case "off" -> LogLevel.OFF;
			default -> throw new InvalidValueException("not a log level");
		};
	}

	static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
				return constant;
			}
		}
		throw new InvalidValueException("not " + acceptedEnum(type));
	}

	static String acceptedEnum(Class<?> type) {
		List<String> names = new ArrayList<>();
		for (Object constant : type.getEnumConstants()) {
			names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
		}
		return (names.size() == 1) ? names.get(0)
				: String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
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
		if (duration.toDays() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
			return duration.toDays() + "d";
		}
		if (duration.toMillisPart() != 0 || duration.toNanosPart() % 1_000_000 != 0) {
			return (duration.toNanosPart() % 1_000_000 != 0) ? duration.toNanos() + "ns" : duration.toMillis() + "ms";
		}
		return duration.toSeconds() + "s";
	}

	/**
	 * Return a value as it can safely be shown in a log line or a failure report: in
	 * double quotes, control characters escaped, and long values cut.
	 * @param value the value as the user wrote it
	 * @return the printable form, in double quotes
	 */
	static String printable(String value) {
		return "\"" + escape(value, 80, true) + "\"" + ((value.length() > 80)
				? " (" + (value.length() - 80) + " more characters)" : "");
	}

	/**
	 * Return a value as it can safely be shown in a log line: control, format and other
	 * invisible characters escaped, so that it can neither forge a line nor hide a
	 * character.
	 * @param value the value
	 * @return the value with those characters escaped
	 */
	static String escape(String value) {
		return escape(value, value.length(), false);
	}

	private static String escape(String value, int limit, boolean quotes) {
		StringBuilder escaped = new StringBuilder(Math.min(value.length(), limit) + 8);
		int shown = Math.min(value.length(), limit);
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			if (quotes && (c == '"' || c == '\\')) {
				escaped.append('\\').append(c);
			}
			else if (isInvisible(c)) {
				escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static boolean isInvisible(char c) {
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0xa0) || Character.isSurrogate(c)) {
			return true;
		}
		int type = Character.getType(c);
		return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
				|| type == Character.SPACE_SEPARATOR && c != ' ';
	}

}
