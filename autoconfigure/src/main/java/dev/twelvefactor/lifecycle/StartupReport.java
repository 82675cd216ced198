package dev.twelvefactor.lifecycle;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.twelvefactor.config.CertificateExpiry;
import dev.twelvefactor.config.ConfiguredValue;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.LoggerLevel;
import dev.twelvefactor.config.MemoryBudget;
import dev.twelvefactor.config.TwelveFactorProperties;

/**
 * The startup report: one line per setting with its value and source, under stable labels
 * ({@code Bind:}, {@code Workers:}, {@code Timeout:}, {@code Log level:} ...), logged when
 * the server is ready, and in check mode, on a logger that stays at INFO whatever the root
 * level is.
 *
 * @author twelvefactor
 */
final class StartupReport {

	private static final Log logger = LogFactory.getLog(StartupReport.class);

	/**
	 * Settings shown on the line of another, or not at all.
	 */
	private static final Set<String> FOLDED = Set.of("enabled", "access-log-format", "access-log-exclude",
			"access-log-mask", "ssl.keyfile", "ssl.ca-certs", "check", "ssl.expiry-warning", "ssl.allow-invalid-dates");

	private StartupReport() {
	}

	/**
	 * Log the report of the given configuration, and the memory budget.
	 * @param configuration the effective configuration
	 * @param memory the memory budget, or {@code null} when the JVM does not tell it
	 */
	static void log(EffectiveConfiguration configuration, @Nullable MemoryBudget memory) {
		lines(configuration).forEach(logger::info);
		if (memory != null) {
			logger.info("Memory: " + memory.describe());
		}
	}

	/**
	 * Return the lines of the report for the given configuration.
	 * @param configuration the effective configuration
	 * @return the lines
	 */
	static List<String> lines(EffectiveConfiguration configuration) {
		List<String> lines = new ArrayList<>();
		for (ConfiguredValue value : configuration.values()) {
			if (FOLDED.contains(value.name())) {
				continue;
			}
			switch (value.name()) {
				case "access-log" -> lines.add(accessLog(configuration));
				case "ssl.certfile" -> lines.add(ssl(configuration));
				case "log-level" -> lines.add(logLevel(configuration, value));
				case "timeout" -> lines.add(line(value,
						Duration.ZERO.equals(value.value()) ? "0s (off)" : value.display(), value.describeSource()));
				default -> lines.add(line(value, value.display(), value.describeSource()));
			}
		}
		return lines;
	}

	private static String accessLog(EffectiveConfiguration configuration) {
		ConfiguredValue target = configuration.get("access-log");
		if (!configuration.properties().getAccessLog().enabled()) {
			return line(target, "off", target.describeSource());
		}
		ConfiguredValue format = configuration.get("access-log-format");
		ConfiguredValue exclude = configuration.get("access-log-exclude");
		String value = target.display() + ", " + format.display();
		if (exclude.value() != null) {
			value += ", excluding " + exclude.display();
		}
		return line(target, value, sources(target, format, exclude));
	}

	/**
	 * The log level line, naming the loggers that keep a level of their own, which the
	 * root level does not change (an application's {@code logging.level.org.springframework=INFO}
	 * goes on logging at INFO under {@code LOG_LEVEL=warning}).
	 */
	private static String logLevel(EffectiveConfiguration configuration, ConfiguredValue level) {
		String line = line(level, level.display(), level.describeSource());
		List<String> own = configuration.loggerLevels()
			.stream()
			.filter((logger) -> !logger.level().equalsIgnoreCase(level.display()))
			.map(LoggerLevel::toString)
			.toList();
		return own.isEmpty() ? line : line + "; " + String.join(", ", own);
	}

	private static String ssl(EffectiveConfiguration configuration) {
		TwelveFactorProperties.Ssl ssl = configuration.properties().getSsl();
		if (ssl.getCertfile() == null) {
			return "SSL: off";
		}
		ConfiguredValue certificate = configuration.get("ssl.certfile");
		ConfiguredValue key = configuration.get("ssl.keyfile");
		ConfiguredValue ca = configuration.get("ssl.ca-certs");
		String value = "on, certificate " + certificate.display() + ", key " + key.display();
		if (ca.value() != null) {
			value += ", client certificates required, CA " + ca.display();
		}
		String line = "SSL: " + value + " (" + sources(certificate, key, ca) + ")";
		X509Certificate served = CertificateExpiry.read(ssl.getCertfile());
		if (served != null) {
			line += "; expires " + CertificateExpiry.describe(served.getNotAfter().toInstant(), Instant.now());
		}
		return line + "; reloaded when the files change";
	}

	private static String sources(ConfiguredValue... values) {
		Set<String> sources = new LinkedHashSet<>();
		for (ConfiguredValue value : values) {
			if (value.source().isExplicit()) {
				sources.add(value.describeSource());
			}
		}
		return sources.isEmpty() ? "default" : String.join(", ", sources);
	}

	private static String line(ConfiguredValue value, String display, String source) {
		return value.label() + ": " + display + " (" + source + ")";
	}

}
