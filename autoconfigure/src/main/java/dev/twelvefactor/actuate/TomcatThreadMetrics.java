package dev.twelvefactor.actuate;

import javax.management.ObjectName;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Tomcat's thread-pool meters, {@code tomcat.threads.config.max}, {@code .current} and
 * {@code .busy}, under the names and tags of Micrometer's {@code TomcatMetrics}, read from
 * each connector's executor rather than from JMX. {@code TomcatMetrics} needs Tomcat's
 * MBean registry, which costs about a second of start-up on two cores; these meters are
 * bound instead when the registry is off, as it is by default, once the server started.
 *
 * @author twelvefactor
 */
class TomcatThreadMetrics implements ApplicationListener<ApplicationStartedEvent> {

	private final MeterRegistry registry;

	TomcatThreadMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext context)
				|| !(context.getWebServer() instanceof TomcatWebServer webServer)) {
			return;
		}
		for (Connector connector : webServer.getTomcat().getService().findConnectors()) {
			if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
				bind(protocol);
			}
		}
	}

	private void bind(AbstractProtocol<?> protocol) {
		String name = protocol.getName();
		// Quoted for JMX; TomcatMetrics tags it unquoted
		String tag = (name.startsWith("\"") && name.endsWith("\"")) ? ObjectName.unquote(name) : name;
		Gauge.builder("tomcat.threads.config.max", protocol, AbstractProtocol::getMaxThreads)
			.tag("name", tag)
			.baseUnit(BaseUnits.THREADS)
			.register(this.registry);
		// With virtual threads there is no pool to count
		if (protocol.getExecutor() instanceof ThreadPoolExecutor pool) {
			Gauge.builder("tomcat.threads.current", pool, ThreadPoolExecutor::getPoolSize)
				.tag("name", tag)
				.baseUnit(BaseUnits.THREADS)
				.register(this.registry);
			Gauge.builder("tomcat.threads.busy", pool, ThreadPoolExecutor::getActiveCount)
				.tag("name", tag)
				.baseUnit(BaseUnits.THREADS)
				.register(this.registry);
		}
	}

}
