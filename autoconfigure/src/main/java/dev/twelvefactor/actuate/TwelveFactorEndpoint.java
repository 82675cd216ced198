package dev.twelvefactor.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.twelvefactor.actuate.ServerInspector.ServerState;
import dev.twelvefactor.config.ConfiguredValue;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.SensitiveNames;
import dev.twelvefactor.config.SettingSource;
import dev.twelvefactor.config.SpringProperty;
import dev.twelvefactor.config.TwelveFactorProperties;
import dev.twelvefactor.tomcat.ServerCertificate;

/**
 * {@link Endpoint @Endpoint} that shows the starter's effective configuration with the
 * source of each value, what Tomcat actually runs with, and live figures of the server.
 * Values that look like secrets, or that carry secrets, are masked whatever
 * {@code show-values} says (see {@link SensitiveNames}).
 *
 * @author twelvefactor
 */
@Endpoint(id = "twelvefactor")
public class TwelveFactorEndpoint {

	private final EffectiveConfiguration configuration;

	private final ServerInspector server;

	private final Supplier<@Nullable RequestStatistics> statistics;

	private final Supplier<ServerCertificate.@Nullable Certificate> certificate;

	TwelveFactorEndpoint(EffectiveConfiguration configuration, ServerInspector server,
			Supplier<@Nullable RequestStatistics> statistics) {
		this(configuration, server, statistics, () -> null);
	}

	TwelveFactorEndpoint(EffectiveConfiguration configuration, ServerInspector server,
			Supplier<@Nullable RequestStatistics> statistics,
			Supplier<ServerCertificate.@Nullable Certificate> certificate) {
		this.configuration = configuration;
		this.server = server;
		this.statistics = statistics;
		this.certificate = certificate;
	}

	/**
	 * Return the effective configuration, what Tomcat runs with, and live figures.
	 * @return the description
	 */
	@ReadOperation
	public TwelveFactorDescriptor twelveFactor() {
		Map<String, SettingDescriptor> settings = new LinkedHashMap<>();
		for (ConfiguredValue value : this.configuration.values()) {
			settings.put(value.propertyName(), SettingDescriptor.of(value));
		}
		ServerState state = this.server.inspect();
		RequestStatistics statistics = this.statistics.get();
		LiveDescriptor live = (statistics != null)
				? new LiveDescriptor(state != null ? state.busyThreads() : null,
						(state != null) ? state.currentThreads() : null, statistics.limit(), statistics.inFlight(),
						statistics.waiting(), statistics.shedBacklogFull() + statistics.shedWaitedTooLong(),
						statistics.deadlinesHit(), statistics.stuckThreads())
				: new LiveDescriptor((state != null) ? state.busyThreads() : null,
						(state != null) ? state.currentThreads() : null, null, null, null, null, null, null);
		ServerCertificate.Certificate certificate = this.certificate.get();
		return new TwelveFactorDescriptor(settings, (state != null) ? state.tomcat() : null, live,
				(certificate != null) ? SslDescriptor.of(certificate, Instant.now()) : null);
	}

	/**
	 * Description of the starter's configuration and the server running with it.
	 *
	 * @param settings each setting, by property name, in the order of the startup report
	 * @param tomcat what Tomcat's connector runs with, or {@code null} when no Tomcat is
	 * running
	 * @param live figures of the server now
	 * @param ssl the certificate served from {@code SSL_CERTFILE}, or {@code null} when
	 * HTTPS is off
	 */
	public record TwelveFactorDescriptor(Map<String, SettingDescriptor> settings, @Nullable TomcatDescriptor tomcat,
			LiveDescriptor live, @Nullable SslDescriptor ssl) implements OperationResponseBody {

	}

	/**
	 * Description of the certificate served, as reloaded when its files change.
	 *
	 * @param bundle the Spring Boot SSL bundle that holds it
	 * @param subject its subject's distinguished name
	 * @param serialNumber its serial number, in hexadecimal
	 * @param notBefore the start of its validity
	 * @param notAfter the end of its validity
	 * @param expiresInSeconds the seconds left until it expires, negative once it has
	 * @param reloads how many times it was reloaded since the start
	 * @param lastReload when it was last reloaded, or {@code null} if never
	 */
	public record SslDescriptor(String bundle, String subject, String serialNumber, String notBefore, String notAfter,
			long expiresInSeconds, int reloads, @Nullable String lastReload) {

		static SslDescriptor of(ServerCertificate.Certificate certificate, Instant now) {
			Instant lastReload = certificate.lastReload();
			return new SslDescriptor(TwelveFactorProperties.Ssl.BUNDLE, certificate.subject(),
					certificate.serialNumber(), certificate.notBefore().toString(), certificate.notAfter().toString(),
					Duration.between(now, certificate.notAfter()).toSeconds(), certificate.reloads(),
					(lastReload != null) ? lastReload.toString() : null);
		}

	}

	/**
	 * Description of one setting.
	 *
	 * @param value the effective value as the startup report shows it, masked when it
	 * looks like a secret
	 * @param source where the value came from: the variable or property name as written,
	 * or how the default was worked out
	 * @param sourceKind the kind of source
	 * @param origin where the property was found (a file and line), when known
	 * @param variables the environment variables that set it, canonical first
	 * @param springProperties Spring Boot properties the user set that the setting maps to
	 */
	public record SettingDescriptor(String value, String source, SettingSource.Kind sourceKind,
			@Nullable String origin, List<String> variables, List<SpringPropertyDescriptor> springProperties) {

		static SettingDescriptor of(ConfiguredValue configured) {
			SettingSource source = configured.source();
			boolean sensitive = SensitiveNames.isSensitive(configured.propertyName())
					|| (source.isExplicit() && SensitiveNames.isSensitive(source.name()));
			List<SpringPropertyDescriptor> springProperties = configured.springProperties()
				.stream()
				.map(SpringPropertyDescriptor::of)
				.toList();
			String value = sensitive ? SensitiveNames.MASK : SensitiveNames.maskEmbedded(configured.display());
			return new SettingDescriptor(value, source.writtenName(), source.kind(), source.origin(),
					configured.variables(), springProperties);
		}

	}

	/**
	 * Description of a Spring Boot property the user set that a setting maps to.
	 *
	 * @param name the property name
	 * @param value the value the user set, masked when it looks like a secret
	 * @param overridden whether the starter overrides it or leaves it alone
	 */
	public record SpringPropertyDescriptor(String name, String value, boolean overridden) {

		static SpringPropertyDescriptor of(SpringProperty property) {
			boolean sensitive = SensitiveNames.isSensitive(property.name())
					|| SensitiveNames.isSensitive(property.source().name());
			String value = sensitive ? SensitiveNames.MASK : SensitiveNames.maskEmbedded(property.value());
			return new SpringPropertyDescriptor(property.name(), value, property.overridden());
		}

	}

	/**
	 * Description of what Tomcat's connector runs with, read from the live connector.
	 *
	 * @param name the connector's name, as the {@code name} tag of the {@code tomcat.*}
	 * meters shows it
	 * @param address the address it is bound to, or {@code null} for every address
	 * @param port the port it listens on
	 * @param scheme the scheme, {@code http} or {@code https}
	 * @param secure whether TLS is on
	 * @param maxThreads the maximum number of request threads
	 * @param minSpareThreads the number of request threads kept when idle
	 * @param acceptCount the length of the accept queue
	 * @param maxConnections the maximum number of connections
	 * @param connectionTimeoutMillis the connection timeout in milliseconds, -1 for none
	 * @param keepAliveTimeoutMillis the keep-alive timeout in milliseconds, -1 for none
	 * @param virtualThreads whether requests run on virtual threads, which
	 * {@code maxThreads} does not bound
	 */
	public record TomcatDescriptor(String name, @Nullable String address, int port, String scheme, boolean secure,
			int maxThreads, int minSpareThreads, int acceptCount, int maxConnections, int connectionTimeoutMillis,
			int keepAliveTimeoutMillis, boolean virtualThreads) {

	}

	/**
	 * Live figures of the server. A figure is {@code null} when nothing measures it.
	 *
	 * @param busyThreads request threads handling a request now
	 * @param currentThreads request threads that exist now
	 * @param admissionLimit requests that may run their handlers at once
	 * @param requestsInFlight requests admitted and running their handlers now
	 * @param requestsWaiting requests waiting for admission now
	 * @param requestsShed requests answered 503 without being admitted since the start
	 * @param deadlinesHit requests cut off at their deadline since the start
	 * @param stuckThreads threads still running past their request's deadline
	 */
	public record LiveDescriptor(@Nullable Integer busyThreads, @Nullable Integer currentThreads,
			@Nullable Integer admissionLimit, @Nullable Integer requestsInFlight, @Nullable Integer requestsWaiting,
			@Nullable Long requestsShed, @Nullable Long deadlinesHit, @Nullable Integer stuckThreads) {

	}

}
