package dev.twelvefactor.tomcat;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.catalina.AccessLog;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.structured.ElasticCommonSchemaProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.AccessLogFormat;
import dev.twelvefactor.config.AccessLogTarget;
import dev.twelvefactor.config.TwelveFactorProperties;

/**
 * Installs the access log valve on Tomcat's engine, as Spring Boot does with its own
 * {@code server.tomcat.accesslog}, writing to the configured target in the configured
 * format. Installs nothing when the access log is {@code off}, or when an access log
 * valve is already there (Spring Boot's, when {@code server.tomcat.accesslog.enabled} is
 * set): two access logs would write every request twice.
 *
 * @author twelvefactor
 */
public class TwelveFactorAccessLogCustomizer
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/**
	 * Order of the customizer: after Spring Boot's Tomcat customizers, so that the valve
	 * that {@code server.tomcat.accesslog.enabled} adds is seen.
	 */
	public static final int ORDER = 10;

	private static final Log logger = LogFactory.getLog(TwelveFactorAccessLogCustomizer.class);

	private final TwelveFactorProperties properties;

	private final ElasticCommonSchemaProperties ecs;

	private final AtomicBoolean warned = new AtomicBoolean();

	public TwelveFactorAccessLogCustomizer(TwelveFactorProperties properties, ElasticCommonSchemaProperties ecs) {
		this.properties = properties;
		this.ecs = ecs;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		AccessLogTarget target = this.properties.getAccessLog();
		if (!target.enabled()) {
			return;
		}
		Valve existing = (factory instanceof TomcatWebServerFactory tomcatFactory)
				? findAccessLog(tomcatFactory.getEngineValves(), tomcatFactory.getContextValves()) : null;
		if (existing != null) {
			if (this.warned.compareAndSet(false, true)) {
				String description = (existing instanceof AccessLogValve)
						? "Spring Boot's access log (server.tomcat.accesslog.enabled=true)"
						: "an access log valve (" + existing.getClass().getName() + ")";
				logger.warn("Tomcat already has " + description + ", so the twelvefactor access log ("
						+ "twelvefactor.access-log=" + target + ") is not installed, to avoid logging every request "
						+ "twice. To use the twelvefactor access log, remove the other one.");
			}
			return;
		}
		factory.addEngineValves(createValve(this.properties.getAccessLogFormat(), this.properties.getAccessLogExclude(),
				this.properties.getAccessLogMask().names(), new AccessLogOutput(target.file())));
	}

	private StreamAccessLogValve createValve(AccessLogFormat format, @Nullable Pattern exclude, List<String> mask,
			AccessLogOutput output) {
		return switch (format.name()) {
			case "ecs", "json" -> new StructuredAccessLogValve("ecs".equals(format.name()), this.ecs, exclude, mask,
					output);
			default -> {
				StreamAccessLogValve valve = new StreamAccessLogValve(exclude, mask, output);
				// Tomcat knows combined and common by name
				valve.setPattern(format.pattern());
				yield valve;
			}
		};
	}

	@SafeVarargs
	private static @Nullable Valve findAccessLog(Collection<Valve>... valves) {
		for (Collection<Valve> candidates : valves) {
			for (Valve valve : candidates) {
				if (valve instanceof AccessLog) {
					return valve;
				}
			}
		}
		return null;
	}

}
