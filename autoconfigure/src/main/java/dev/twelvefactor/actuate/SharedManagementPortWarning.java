package dev.twelvefactor.actuate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.Environment;

/**
 * Warns, once the application's beans are ready, when actuator endpoints other than
 * {@code health} are served on the application's own port, where whoever reaches the
 * application reaches them: without {@code management.server.port}, or with the server's
 * port as its value. And, on Kubernetes, when the actuator on a port of its own listens on
 * loopback only (the default), where the kubelet's probes cannot reach it.
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
		String unreachable = loopbackOnKubernetes(this.environment);
		if (unreachable != null) {
			logger.warn(unreachable);
		}
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

	/**
	 * Return a warning when, on Kubernetes, the actuator on a port of its own listens on a
	 * loopback address, or {@code null}. The kubelet's probes and Prometheus reach the
	 * pod's IP address: probes on that port would fail, and the pod never become ready.
	 * @param environment the environment
	 * @return the warning, or {@code null}
	 */
	static @Nullable String loopbackOnKubernetes(Environment environment) {
		if (CloudPlatform.getActive(environment) != CloudPlatform.KUBERNETES
				|| ManagementPortType.get(environment) != ManagementPortType.DIFFERENT) {
			return null;
		}
		String address = environment.getProperty("management.server.address");
		if (address == null || !isLoopback(address)) {
			return null;
		}
		return "The actuator listens on " + address + ", port " + environment.getProperty("management.server.port")
				+ ", which Kubernetes probes and Prometheus, reaching the pod's IP address, cannot reach: set "
				+ "MANAGEMENT_SERVER_ADDRESS=0.0.0.0 (management.server.address) for probes on that port, and keep the "
				+ "port out of the Service";
	}

	private static boolean isLoopback(String address) {
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException | SecurityException ex) {
			return false;
		}
	}

}
