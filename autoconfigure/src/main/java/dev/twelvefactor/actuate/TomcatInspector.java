package dev.twelvefactor.actuate;

import java.net.InetAddress;
import java.util.concurrent.Executor;

import javax.management.ObjectName;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import dev.twelvefactor.actuate.TwelveFactorEndpoint.TomcatDescriptor;

/**
 * Reads the settings and thread counts of the live connector of the context's Tomcat: what
 * Tomcat runs with after every customizer, Spring Boot's and the user's, had its say.
 *
 * @author twelvefactor
 */
final class TomcatInspector implements ServerInspector {

	private final ApplicationContext context;

	TomcatInspector(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public @Nullable ServerState inspect() {
		// The endpoint lives in the main context, also when a separate management port
		// gives the actuator a child context and a Tomcat of its own
		if (!(this.context instanceof WebServerApplicationContext webServerContext)
				|| !(webServerContext.getWebServer() instanceof TomcatWebServer webServer)) {
			return null;
		}
		Connector[] connectors = webServer.getTomcat().getService().findConnectors();
		if (connectors.length == 0 || !(connectors[0].getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
			return null;
		}
		Connector connector = connectors[0];
		Executor executor = protocol.getExecutor();
		TomcatDescriptor tomcat = new TomcatDescriptor(name(protocol), hostAddress(protocol.getAddress()),
				connector.getLocalPort(), connector.getScheme(), isSecure(connector, protocol),
				protocol.getMaxThreads(), protocol.getMinSpareThreads(), protocol.getAcceptCount(),
				protocol.getMaxConnections(), protocol.getConnectionTimeout(), protocol.getKeepAliveTimeout(),
				executor instanceof VirtualThreadExecutor);
		if (executor instanceof ThreadPoolExecutor threadPool) {
			return new ServerState(tomcat, threadPool.getActiveCount(), threadPool.getPoolSize());
		}
		return new ServerState(tomcat, null, null);
	}

	private static String name(AbstractProtocol<?> protocol) {
		// Quoted for JMX; the meters' name tag has it unquoted
		String name = protocol.getName();
		return (name.startsWith("\"") && name.endsWith("\"")) ? ObjectName.unquote(name) : name;
	}

	private static @Nullable String hostAddress(@Nullable InetAddress address) {
		return (address != null) ? address.getHostAddress() : null;
	}

	private static boolean isSecure(Connector connector, AbstractProtocol<?> protocol) {
		return connector.getSecure()
				|| (protocol instanceof AbstractHttp11Protocol<?> httpProtocol && httpProtocol.isSSLEnabled());
	}

}
