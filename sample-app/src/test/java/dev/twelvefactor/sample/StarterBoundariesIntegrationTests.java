package dev.twelvefactor.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process tests of the starter's boundaries: its off switch, one model behind every view of
 * the configuration, and applications that are not servlet web applications.
 *
 * @author twelvefactor
 */
class StarterBoundariesIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void offSwitchGivesPlainSpringBootWhateverTheVariablesSay() {
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ENABLED", "false")
			.env("PORT", String.valueOf(SampleAppProcess.freePort()))
			.env("SERVER_PORT", String.valueOf(port))
			.env("WEB_CONCURRENCY", "2")
			.env("GUNICORN_TIMEOUT", "1")
			.env("LOG_LEVEL", "error")
			.port(port)
			.start()) {
			app.awaitOutput((output) -> output.contains("Started SampleApplication"), SampleAppProcess.STARTUP);
			// Plain Spring Boot: Tomcat's 200 threads run six slow requests at once, past the
			// 1 s that GUNICORN_TIMEOUT would give them
			List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
			long start = System.nanoTime();
			for (int i = 0; i < 6; i++) {
				slow.add(CompletableFuture.supplyAsync(() -> app.get("/sleep?ms=1500")));
			}
			slow.forEach((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
			assertThat(app.management("/actuator/twelvefactor").statusCode()).isEqualTo(404);
			// INFO lines and the banner on standard output, no access log, no report
			assertThat(app.stdout()).contains(" INFO ").contains(":: Spring Boot ::").doesNotContain("\"GET /");
			assertThat(app.output()).doesNotContain("Workers:")
				.doesNotContain("Starting (pid")
				.doesNotContain("Ready: listening")
				.doesNotContain("d.t.lifecycle")
				.doesNotContain("d.t.config");
		}
	}

	@Test
	void configpropsTheEndpointAndTheConnectorAgreeWhenAnInvalidValueIsReplaced() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:ActiveProcessorCount=2")
			.env("TWELVEFACTOR_ON_INVALID", "default")
			.env("WEB_CONCURRENCY", "0x10")
			.env("MANAGEMENT_ENDPOINT_CONFIGPROPS_SHOWVALUES", "always")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: auto, 5..200 (default, in place of invalid WEB_CONCURRENCY)");
			JsonNode configprops = json.readTree(app.management("/actuator/configprops").body());
			JsonNode properties = configprops.findParents("prefix")
				.stream()
				.filter((bean) -> bean.get("prefix").asString().equals("twelvefactor"))
				.findFirst()
				.orElseThrow();
			assertThat(properties.at("/properties/workers").asString()).isEqualTo("auto");
			assertThat(properties.at("/inputs/workers/value").asString()).isEqualTo("0x10");
			JsonNode endpoint = json.readTree(app.management("/actuator/twelvefactor").body());
			assertThat(endpoint.at("/settings/twelvefactor.workers/value").asString()).isEqualTo("auto, 5..200");
			// The adaptive limit starts at its floor
			assertThat(endpoint.at("/live/admissionLimit").asInt()).isEqualTo(5);
			// Room for up to 200 admitted, 100 waiting and 200 abandoned past their deadline
			assertThat(endpoint.at("/tomcat/maxThreads").asInt()).isEqualTo(500);
		}
	}

	@Test
	void nonWebApplicationStartsCleanlyWithoutAServerReport() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SPRING_MAIN_WEB_APPLICATION_TYPE", "none")
			.env("WEB_CONCURRENCY", "4")
			.env("LOG_LEVEL", "info")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isZero();
			assertThat(app.output()).contains("Started SampleApplication")
				.doesNotContain("Ready: listening")
				.doesNotContain("Workers:")
				.doesNotContain("Exit: drained")
				.doesNotContain("ERROR")
				.doesNotContain("Exception");
		}
	}

}
