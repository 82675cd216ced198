package dev.twelvefactor.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.twelvefactor.config.ConfiguredValue;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.Setting;

/**
 * The startup report: one line per setting with its value and source, under stable labels
 * ({@code Bind:}, {@code Workers:}, {@code Timeout:}, {@code Log level:} ...), logged when
 * the server is ready, and in check mode, on a logger that stays at INFO whatever the root
 * level is.
 *
 * @author twelvefactor
 */
public final class StartupReport {

	private static final Log logger = LogFactory.getLog(StartupReport.class);

	private StartupReport() {
	}

	/**
	 * Log the report of the given configuration, and the memory budget.
	 * @param configuration the effective configuration
	 * @param memory the memory budget, or {@code null} when the JVM does not tell it
	 */
	public static void log(EffectiveConfiguration configuration, @Nullable MemoryBudget memory) {
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
	public static List<String> lines(EffectiveConfiguration configuration) {
		List<String> lines = new ArrayList<>();
		for (ConfiguredValue value : configuration.values()) {
			switch (value.setting()) {
				case ACCESS_LOG -> lines.add(accessLog(configuration));
				case SSL_CERTFILE -> lines.add(ssl(configuration));
				case ACCESS_LOG_FORMAT, ACCESS_LOG_EXCLUDE, SSL_KEYFILE, SSL_CA_CERTS, CHECK -> {
				}
				case TIMEOUT -> lines.add(line(value,
						configuration.timeout().isZero() ? "0s (off)" : value.display(), value.describeSource()));
				default -> lines.add(line(value, value.display(), value.describeSource()));
			}
		}
		return lines;
	}

	private static String accessLog(EffectiveConfiguration configuration) {
		ConfiguredValue target = configuration.get(Setting.ACCESS_LOG);
		if (!configuration.accessLog().enabled()) {
			return line(target, "off", target.describeSource());
		}
		String value = target.display() + ", " + configuration.get(Setting.ACCESS_LOG_FORMAT).display();
		ConfiguredValue exclude = configuration.get(Setting.ACCESS_LOG_EXCLUDE);
		if (exclude.value() != null) {
			value += ", excluding " + exclude.display();
		}
		return line(target, value, sources(target, configuration.get(Setting.ACCESS_LOG_FORMAT), exclude));
	}

	private static String ssl(EffectiveConfiguration configuration) {
		if (configuration.sslCertfile() == null) {
			return "SSL: off";
		}
		ConfiguredValue certificate = configuration.get(Setting.SSL_CERTFILE);
		ConfiguredValue key = configuration.get(Setting.SSL_KEYFILE);
		ConfiguredValue ca = configuration.get(Setting.SSL_CA_CERTS);
		String value = "on, certificate " + certificate.display() + ", key " + key.display();
		if (ca.value() != null) {
			value += ", client certificates required, CA " + ca.display();
		}
		return "SSL: " + value + " (" + sources(certificate, key, ca) + ")";
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
		return value.setting().label() + ": " + display + " (" + source + ")";
	}

}
