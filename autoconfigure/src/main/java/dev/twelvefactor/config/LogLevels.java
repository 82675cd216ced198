package dev.twelvefactor.config;

import java.util.Locale;

import org.springframework.boot.logging.LogLevel;

/**
 * Reads log levels by Gunicorn's names and Java's.
 *
 * @author twelvefactor
 */
final class LogLevels {

	private LogLevels() {
	}

	static LogLevel parse(String value) {
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

}
