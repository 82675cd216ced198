package dev.twelvefactor.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SharedManagementPortWarning}.
 *
 * @author twelvefactor
 */
class SharedManagementPortWarningTests {

	@Test
	void actuatorOnLoopbackOnKubernetesIsWarnedAbout() {
		MockEnvironment environment = kubernetes().withProperty("management.server.address", "127.0.0.1");
		assertThat(SharedManagementPortWarning.loopbackOnKubernetes(environment))
			.isEqualTo("The actuator listens on 127.0.0.1, port 8081, which Kubernetes probes and Prometheus, reaching "
					+ "the pod's IP address, cannot reach: set MANAGEMENT_SERVER_ADDRESS=0.0.0.0 "
					+ "(management.server.address) for probes on that port, and keep the port out of the Service");
	}

	@Test
	void actuatorOnEveryInterfaceOnKubernetesIsNotWarnedAbout() {
		assertThat(SharedManagementPortWarning
			.loopbackOnKubernetes(kubernetes().withProperty("management.server.address", "0.0.0.0"))).isNull();
		assertThat(SharedManagementPortWarning.loopbackOnKubernetes(kubernetes())).isNull();
	}

	@Test
	void actuatorOnLoopbackElsewhereIsNotWarnedAbout() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8000")
			.withProperty("management.server.port", "8081")
			.withProperty("management.server.address", "127.0.0.1");
		assertThat(SharedManagementPortWarning.loopbackOnKubernetes(environment)).isNull();
	}

	private static MockEnvironment kubernetes() {
		return new MockEnvironment().withProperty("spring.main.cloud-platform", "kubernetes")
			.withProperty("server.port", "8000")
			.withProperty("management.server.port", "8081");
	}

}
