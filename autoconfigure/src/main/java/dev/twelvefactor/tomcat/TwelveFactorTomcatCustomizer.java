package dev.twelvefactor.tomcat;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Applies the effective configuration to Tomcat's connector: request threads, connection
 * and keep-alive timeouts, and accept queue. Runs after Spring Boot's own customizers, so
 * that its connector customizer sees, and where the starter's settings say so overrides,
 * what {@code server.tomcat.*} applied.
 *
 * @author twelvefactor
 */
public class TwelveFactorTomcatCustomizer
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/**
	 * Order of the customizer: after Spring Boot's Tomcat customizers (0) and its virtual
	 * threads customizer (1).
	 */
	public static final int ORDER = 10;

	private static final int MAX_MIN_SPARE_THREADS = 10;

	private final EffectiveConfiguration configuration;

	public TwelveFactorTomcatCustomizer(EffectiveConfiguration configuration) {
		this.configuration = configuration;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers(this::customize);
	}

	private void customize(Connector connector) {
		if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
			return;
		}
		EffectiveConfiguration configuration = this.configuration;
		PropertyMapper map = PropertyMapper.get();
		if (configuration.applies("server.tomcat.threads.max")) {
			int maxThreads = configuration.maxThreads();
			protocol.setMaxThreads(maxThreads);
			protocol.setMinSpareThreads(Math.min(MAX_MIN_SPARE_THREADS, maxThreads));
		}
		protocol.setMinSpareThreads(Math.min(protocol.getMinSpareThreads(), protocol.getMaxThreads()));
		if (configuration.applies("server.tomcat.connection-timeout") && !configuration.timeout().isZero()) {
			protocol.setConnectionTimeout((int) configuration.timeout().toMillis());
		}
		if (configuration.applies("server.tomcat.keep-alive-timeout")) {
			map.from(configuration.keepAlive()).as((duration) -> (int) duration.toMillis())
				.to(protocol::setKeepAliveTimeout);
		}
		if (configuration.applies("server.tomcat.accept-count")) {
			map.from(configuration.backlog()).to(protocol::setAcceptCount);
		}
	}

}
