package dev.twelvefactor.tomcat;

import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.TwelveFactorProperties;

/**
 * Applies Gunicorn's request limits ({@code limit-request-line},
 * {@code limit-request-fields}, {@code limit-request-field-size}) to Tomcat: a valve in the
 * engine's pipeline answers a request past them as Gunicorn does. Tomcat's own
 * count of header fields is lifted, so that too many fields get Gunicorn's {@code 431}
 * rather than Tomcat's {@code 400}; its limit on the whole request head stays, from
 * {@code server.max-http-request-header-size}.
 *
 * @author twelvefactor
 */
public class RequestLimitsCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/**
	 * Order of the customizer: after Spring Boot's Tomcat customizers.
	 */
	public static final int ORDER = 10;

	private final TwelveFactorProperties properties;

	public RequestLimitsCustomizer(TwelveFactorProperties properties) {
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addEngineValves(new RequestLimitsValve(this.properties.getLimitRequestLine(),
				this.properties.getLimitRequestFields(), this.properties.getLimitRequestFieldSize()));
		factory.addConnectorCustomizers((connector) -> {
			if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> protocol) {
				// The head's size bounds the number of fields; the valve counts them
				protocol.setMaxHeaderCount(-1);
			}
		});
	}

}
