package dev.twelvefactor.config;

import java.util.Locale;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.twelvefactor.autoconfigure.TwelveFactorProperties;

/**
 * The settings of the starter: their property and variable names, what they accept and how
 * a value is read. Defaults come from {@link TwelveFactorProperties}, so that the
 * configuration metadata, the resolver and the documentation share one definition.
 *
 * @author twelvefactor
 */
public enum Setting {

	/**
	 * Address and port to listen on.
	 */
	BIND("bind", "Bind", "PORT", "host:port, [ipv6]:port or :port, with a port from 1 to 65535 and a host that is "
			+ "an IP address or a resolvable name (PORT alone: a port from 1 to 65535)", Bind::parse,
			(properties) -> Bind.parse(properties.getBind())),

	/**
	 * Number of workers.
	 */
	WORKERS("workers", "Workers", "WEB_CONCURRENCY", "a whole number from 1 to 10000",
			(value) -> Values.parseWholeNumber(value, 1, 10000, "workers"), TwelveFactorProperties::getWorkers),

	/**
	 * Threads per worker.
	 */
	THREADS("threads", "Threads", null, "a whole number from 1 to 1000",
			(value) -> Values.parseWholeNumber(value, 1, 1000, "threads"), TwelveFactorProperties::getThreads),

	/**
	 * Request deadline and connection timeout.
	 */
	TIMEOUT("timeout", "Timeout", "GUNICORN_TIMEOUT", Values.DURATION_ACCEPTED + "; 0 turns the deadline off",
			Values::parseDuration, TwelveFactorProperties::getTimeout),

	/**
	 * Time in-flight requests get on shutdown.
	 */
	GRACEFUL_TIMEOUT("graceful-timeout", "Graceful timeout", null, Values.DURATION_ACCEPTED, Values::parseDuration,
			TwelveFactorProperties::getGracefulTimeout),

	/**
	 * Keep-alive timeout.
	 */
	KEEP_ALIVE("keep-alive", "Keep-alive", null, Values.DURATION_ACCEPTED, Values::parseDuration,
			TwelveFactorProperties::getKeepAlive),

	/**
	 * Accept queue length.
	 */
	BACKLOG("backlog", "Backlog", null, "a whole number from 1 to 65535",
			(value) -> Values.parseWholeNumber(value, 1, 65535, "backlog"), TwelveFactorProperties::getBacklog),

	/**
	 * Root log level.
	 */
	LOG_LEVEL("log-level", "Log level", "LOG_LEVEL",
			"trace, debug, info, warn (or warning), error (or critical), or off, in any case", LogLevels::parse,
			(properties) -> LogLevels.parse(properties.getLogLevel())),

	/**
	 * Access log target.
	 */
	ACCESS_LOG("access-log", "Access log", null,
			"'-' or 'stdout' for standard output, 'off', or the path of a file that can be appended to",
			AccessLogTarget::parse, (properties) -> AccessLogTarget.parse(properties.getAccessLog())),

	/**
	 * Access log line format.
	 */
	ACCESS_LOG_FORMAT("access-log-format", "Access log format", null,
			"combined, common, json, ecs, or a Tomcat access log pattern (containing %)", AccessLogFormat::parse,
			(properties) -> AccessLogFormat.parse(properties.getAccessLogFormat())),

	/**
	 * Paths not to access-log.
	 */
	ACCESS_LOG_EXCLUDE("access-log-exclude", "Access log exclude", null, "a regular expression (java.util.regex)",
			Values::parseRegex, TwelveFactorProperties::getAccessLogExclude),

	/**
	 * Query parameters whose values the access log masks.
	 */
	ACCESS_LOG_MASK("access-log-mask", "Access log mask", null,
			"names of query parameters, separated by commas (any case), or 'none'", AccessLogMask::parse,
			(properties) -> AccessLogMask.parse(properties.getAccessLogMask())),

	/**
	 * Target of the application's console log.
	 */
	ERROR_LOG("error-log", "Error log", null, "'-' or 'stderr' for standard error, or 'stdout'", ConsoleTarget::parse,
			(properties) -> ConsoleTarget.parse(properties.getErrorLog())),

	/**
	 * PEM certificate file.
	 */
	SSL_CERTFILE("ssl.certfile", "SSL certificate", "SSL_CERTFILE",
			"the path of a readable PEM file holding a certificate", PemFile::certificate,
			(properties) -> properties.getSsl().getCertfile()),

	/**
	 * PEM private key file.
	 */
	SSL_KEYFILE("ssl.keyfile", "SSL key", "SSL_KEYFILE", "the path of a readable PEM file holding a private key",
			PemFile::privateKey, (properties) -> properties.getSsl().getKeyfile()),

	/**
	 * PEM CA certificates for client certificates.
	 */
	SSL_CA_CERTS("ssl.ca-certs", "SSL CA certificates", "SSL_CA_CERTS",
			"the path of a readable PEM file holding certificates", PemFile::certificate,
			(properties) -> properties.getSsl().getCaCerts()),

	/**
	 * What an invalid value does.
	 */
	ON_INVALID("on-invalid", "On invalid", null, "fail or default", OnInvalidParser::parse,
			TwelveFactorProperties::getOnInvalid),

	/**
	 * Check mode.
	 */
	CHECK("check", "Check", null, "true or false", Values::parseBoolean, TwelveFactorProperties::isCheck);

	private final String key;

	private final String label;

	private final @Nullable String conventionalVariable;

	private final String accepted;

	private final Function<String, Object> parser;

	private final @Nullable Object defaultValue;

	Setting(String key, String label, @Nullable String conventionalVariable, String accepted,
			Function<String, Object> parser, Function<TwelveFactorProperties, @Nullable Object> defaultValue) {
		this.key = key;
		this.label = label;
		this.conventionalVariable = conventionalVariable;
		this.accepted = accepted;
		this.parser = parser;
		this.defaultValue = defaultValue.apply(new TwelveFactorProperties());
	}

	/**
	 * Return the name of the setting's property, such as {@code twelvefactor.workers}.
	 * @return the property name
	 */
	public String propertyName() {
		return "twelvefactor." + this.key;
	}

	/**
	 * Return the canonical environment variable of the setting, such as
	 * {@code TWELVEFACTOR_GRACEFUL_TIMEOUT}.
	 * @return the variable name
	 */
	public String environmentVariable() {
		return "TWELVEFACTOR_" + this.key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
	}

	/**
	 * Return the variable that Spring Boot's relaxed binding maps to the property, such as
	 * {@code TWELVEFACTOR_GRACEFULTIMEOUT}. Accepted too, below the canonical one.
	 * @return the variable name
	 */
	public String relaxedEnvironmentVariable() {
		return "TWELVEFACTOR_" + this.key.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
	}

	/**
	 * Return the conventional variable of the setting, as Gunicorn and PaaS platforms name
	 * it, such as {@code WEB_CONCURRENCY}.
	 * @return the variable name, or {@code null}
	 */
	public @Nullable String conventionalVariable() {
		return this.conventionalVariable;
	}

	/**
	 * Return the label of the setting in the startup report, such as {@code Workers}.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Return a description of the values the setting accepts.
	 * @return the accepted values
	 */
	public String accepted() {
		return this.accepted;
	}

	/**
	 * Return the setting's default, or {@code null} when it has none of its own (Tomcat's,
	 * computed, or off).
	 * @return the default value
	 */
	public @Nullable Object defaultValue() {
		return this.defaultValue;
	}

	/**
	 * Return a description of the default, as the documentation and the startup report
	 * show it.
	 * @return the default's description
	 */
	public String describeDefault() {
		return switch (this) {
			case WORKERS -> "max(3, 2 x cores + 1)";
			case KEEP_ALIVE -> "Tomcat's: the connection timeout";
			case BACKLOG -> "Tomcat's: 100";
			case ACCESS_LOG, ERROR_LOG -> "-";
			default -> ConfigurationResolver.display(this, this.defaultValue);
		};
	}

	Object parse(String value) {
		return this.parser.apply(value.strip());
	}

}
