package dev.twelvefactor.tomcat;

import java.time.Duration;
import java.util.List;

import jakarta.servlet.DispatcherType;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Installs admission control and the request deadline, Gunicorn's {@code timeout}, in
 * Tomcat's context: a valve that admits each request through {@link AdmissionControl}
 * and answers or aborts a request still running when its deadline passed, and a filter
 * that ends quietly the handlers that throw once interrupted. A timeout of zero keeps the
 * admission control and turns the deadline off. The valve also closes connections while
 * the application refuses traffic, and answers the requests left when a graceful shutdown
 * is over (see {@link RequestDrain}).
 *
 * @author twelvefactor
 */
public class RequestAdmissionCustomizer
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/**
	 * Order of the customizer: after Spring Boot's Tomcat customizers.
	 */
	public static final int ORDER = 10;

	private final EffectiveConfiguration configuration;

	private final AdmissionControl admission;

	private final RequestDrain drain;

	private final List<String> exemptPaths;

	/**
	 * Create a customizer.
	 * @param configuration the effective configuration
	 * @param admission the admission control
	 * @param drain the drain of the requests when the server stops
	 * @param exemptPaths paths, and the paths below them, whose requests are neither limited
	 * nor shed, such as the actuator's
	 */
	public RequestAdmissionCustomizer(EffectiveConfiguration configuration, AdmissionControl admission,
			RequestDrain drain, List<String> exemptPaths) {
		this.configuration = configuration;
		this.admission = admission;
		this.drain = drain;
		this.exemptPaths = List.copyOf(exemptPaths);
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
			context.getPipeline()
				.addValve(new RequestAdmissionValve(this.admission, this.drain, timeout, timeoutText, this.exemptPaths));
			// Also without a deadline: requests may be interrupted at the end of a graceful shutdown
			addFilter(context);
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
