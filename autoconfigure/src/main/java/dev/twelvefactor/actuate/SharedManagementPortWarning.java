package dev.twelvefactor.actuate;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.core.env.Environment;

/**
 * Warns, once the application's beans are ready, when actuator endpoints other than
 * {@code health} are served on the application's own port, where whoever reaches the
 * application reaches them: without {@code management.server.port}, or with the server's
 * port as its value.
 *
 * @author twelvefactor
 */
final class SharedManagementPortWarning implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(SharedManagementPortWarning.class);

	private final Environment environment;

	private final ObjectProvider<WebEndpointsSupplier> endpoints;

	SharedManagementPortWarning(Environment environment, ObjectProvider<WebEndpointsSupplier> endpoints) {
		this.environment = environment;
		this.endpoints = endpoints;
	}

	@Override
	public void afterSingletonsInstantiated() {
		WebEndpointsSupplier endpoints = this.endpoints.getIfUnique();
		if (endpoints == null || ManagementPortType.get(this.environment) != ManagementPortType.SAME) {
			return;
		}
		List<String> shared = endpoints.getEndpoints()
			.stream()
			.map((endpoint) -> endpoint.getEndpointId().toString())
			.filter((id) -> !id.equals("health"))
			.sorted()
			.toList();
		if (!shared.isEmpty()) {
			logger.warn("Actuator endpoints " + String.join(", ", shared) + " are served on the application's port "
					+ this.environment.getProperty("server.port", "8080") + ", to whoever reaches it: set "
					+ "MANAGEMENT_SERVER_PORT (management.server.port) to another port to serve them there instead, "
					+ "on 127.0.0.1 unless MANAGEMENT_SERVER_ADDRESS says otherwise");
		}
	}

}
