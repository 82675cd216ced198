package dev.twelvefactor.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.twelvefactor.tomcat.AccessLogTraceFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AccessLogTracingAutoConfiguration}: an application traced by Micrometer
 * Tracing with OpenTelemetry, auto-configured as a user's application is, gets the trace id
 * and span id of each request into its access line.
 *
 * @author twelvefactor
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogTracingAutoConfigurationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void ecsLineCarriesTheTraceOfAnIncomingTraceparent(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run("twelvefactor.access-log-format=ecs")) {
			String span = get(context, "/span", "traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01");
			JsonNode line = JsonMapper.shared().readTree(awaitAccessLines(output, "{").get(0));
			assertThat(line.at("/trace/id").asString()).isEqualTo(TRACE_ID);
			// The server's own span, child of the caller's, as the application saw it
			assertThat(line.at("/span/id").asString()).isEqualTo(span.substring(TRACE_ID.length() + 1))
				.hasSize(16)
				.isNotEqualTo(PARENT_SPAN_ID);
			assertThat(span).startsWith(TRACE_ID + "/");
		}
	}

	@Test
	void jsonLineCarriesTheTraceTheServerStarted(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run("twelvefactor.access-log-format=json")) {
			String span = get(context, "/span");
			JsonNode line = JsonMapper.shared().readTree(awaitAccessLines(output, "{").get(0));
			assertThat(line.get("trace_id").asString() + "/" + line.get("span_id").asString()).isEqualTo(span);
			assertThat(line.get("trace_id").asString()).hasSize(32).isNotEqualTo("0".repeat(32));
		}
	}

	@Test
	void textPatternsHaveTheIdsAsRequestAttributes(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run("twelvefactor.access-log-format=>>%{traceId}r %{spanId}r %U")) {
			String span = get(context, "/span", "traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01");
			assertThat(awaitAccessLines(output, ">>")).containsExactly(">>" + span.replace('/', ' ') + " /span");
		}
	}

	@Test
	void filterIsRegisteredOnlyWhenATracerIsThere() {
		WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
					AccessLogTracingAutoConfiguration.class));
		contextRunner.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
		contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.run((context) -> assertThat(context).getBean(FilterRegistrationBean.class)
				.satisfies((registration) -> assertThat(registration.getFilter()).isInstanceOf(AccessLogTraceFilter.class)));
		contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
	}

	private static ConfigurableApplicationContext run(String... properties) {
		// The port as arguments: the starter's default bind (0.0.0.0:8000) comes before the
		// builder's default properties, and port 8000 may be taken on a shared machine
		return new SpringApplicationBuilder(TracedApplication.class)
			.properties("management.tracing.sampling.probability=1.0", "management.defaults.metrics.export.enabled=false")
			.properties(properties)
			.run("--server.port=0", "--server.address=127.0.0.1");
	}

	private String get(ConfigurableApplicationContext context, String path, String... headers) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static List<String> awaitAccessLines(CapturedOutput output, String prefix) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !accessLines(output, prefix).isEmpty());
		return accessLines(output, prefix);
	}

	private static List<String> accessLines(CapturedOutput output, String prefix) {
		try (Stream<String> lines = output.getOut().lines()) {
			return lines.filter((line) -> line.startsWith(prefix)).toList();
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class TracedApplication {

		private final Tracer tracer;

		TracedApplication(Tracer tracer) {
			this.tracer = tracer;
		}

		@GetMapping("/span")
		String span() {
			io.micrometer.tracing.Span span = this.tracer.currentSpan();
			return (span != null) ? span.context().traceId() + "/" + span.context().spanId() : "none";
		}

	}

}
