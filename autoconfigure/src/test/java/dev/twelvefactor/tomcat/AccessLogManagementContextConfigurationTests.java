package dev.twelvefactor.tomcat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.ServerPortInfoApplicationContextInitializer;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AccessLogManagementContextConfiguration}, with the management server on
 * a port of its own.
 *
 * @author twelvefactor
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogManagementContextConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				ManagementContextAutoConfiguration.class, TomcatServletManagementContextAutoConfiguration.class))
		.withInitializer(new ServerPortInfoApplicationContextInitializer())
		.withPropertyValues("server.port=0", "server.address=127.0.0.1", "management.server.port=0",
				"management.server.address=127.0.0.1");

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void requestsToTheManagementPortAreAccessLogged(CapturedOutput output) throws Exception {
		this.contextRunner.run((context) -> {
			String port = context.getEnvironment().getProperty("local.management.port");
			assertThat(port).isNotNull().isNotEqualTo(context.getEnvironment().getProperty("local.server.port"));
			HttpResponse<Void> response = this.client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator")).build(),
					HttpResponse.BodyHandlers.discarding());
			assertThat(response.statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(accessLines(output)).singleElement()
					.asString()
					.contains("\"GET /actuator HTTP/1.1\" 200"));
		});
	}

	@Test
	void managementRequestsAreNotLoggedWhenTheAccessLogIsOff(CapturedOutput output) throws Exception {
		this.contextRunner.withPropertyValues("twelvefactor.access-log=off").run((context) -> {
			String port = context.getEnvironment().getProperty("local.management.port");
			this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator")).build(),
					HttpResponse.BodyHandlers.discarding());
		});
		assertThat(accessLines(output)).isEmpty();
	}

	@Test
	void managementServerStartsWithoutTheStartersConfiguration(CapturedOutput output) throws Exception {
		new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
			.withConfiguration(AutoConfigurations.of(TomcatServletWebServerAutoConfiguration.class,
					DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
					ManagementContextAutoConfiguration.class, TomcatServletManagementContextAutoConfiguration.class))
			.withInitializer(new ServerPortInfoApplicationContextInitializer())
			.withPropertyValues("server.port=0", "server.address=127.0.0.1", "management.server.port=0",
					"management.server.address=127.0.0.1")
			.run((context) -> {
				String port = context.getEnvironment().getProperty("local.management.port");
				HttpResponse<Void> response = this.client.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator")).build(),
						HttpResponse.BodyHandlers.discarding());
				assertThat(response.statusCode()).isEqualTo(200);
			});
		assertThat(accessLines(output)).isEmpty();
	}

	private static List<String> accessLines(CapturedOutput output) {
		try (Stream<String> lines = output.getOut().lines()) {
			return lines.filter((line) -> line.startsWith("127.0.0.1 ")).toList();
		}
	}

}
