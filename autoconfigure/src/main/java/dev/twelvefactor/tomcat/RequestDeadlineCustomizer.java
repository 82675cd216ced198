package dev.twelvefactor.tomcat;

import java.time.Duration;

import jakarta.servlet.DispatcherType;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Installs the request deadline, Gunicorn's {@code timeout}, in Tomcat's context: a valve
 * that tracks every request in a {@link RequestDeadlineMonitor} and answers or aborts a
 * request still running when the timeout passed, and a filter that ends quietly the
 * handlers that throw once interrupted. A timeout of zero keeps the tracking and turns the
 * deadline off.
 *
 * @author twelvefactor
 */
public class RequestDeadlineCustomizer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/**
	 * Order of the customizer: after Spring Boot's Tomcat customizers.
	 */
	public static final int ORDER = 10;

	private final EffectiveConfiguration configuration;

	private final RequestDeadlineMonitor monitor;

	public RequestDeadlineCustomizer(EffectiveConfiguration configuration, RequestDeadlineMonitor monitor) {
		this.configuration = configuration;
		this.monitor = monitor;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		Duration timeout = this.configuration.properties().getTimeout();
		String timeoutText = this.configuration.get("timeout").display();
		factory.addContextCustomizers((context) -> {
			context.getPipeline().addValve(new RequestDeadlineValve(timeout, timeoutText, this.monitor));
			if (!timeout.isZero()) {
				addFilter(context);
			}
		});
	}

	private void addFilter(Context context) {
		FilterDef filterDef = new FilterDef();
		filterDef.setFilterName(RequestDeadlineFilter.NAME);
		filterDef.setFilterClass(RequestDeadlineFilter.class.getName());
		filterDef.setFilter(new RequestDeadlineFilter());
		filterDef.setAsyncSupported("true");
		context.addFilterDef(filterDef);
		FilterMap filterMap = new FilterMap();
		filterMap.setFilterName(RequestDeadlineFilter.NAME);
		filterMap.addURLPattern("/*");
		filterMap.setDispatcher(DispatcherType.REQUEST.name());
		// First of the filters, so that it sees what the others let through
		context.addFilterMapBefore(filterMap);
	}

}
