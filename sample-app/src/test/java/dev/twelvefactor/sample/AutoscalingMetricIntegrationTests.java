package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The autoscaler's metric, end to end but for Kubernetes itself: a real Prometheus scrapes
 * the packaged sample app's {@code /actuator/prometheus} on the management port, labelled as
 * Kubernetes' service discovery labels a pod, and answers the query of the Prometheus
 * Adapter's rule in {@code deploy/kubernetes/sample-monitoring.yaml}, with its placeholders
 * filled as the adapter fills them, which the HorizontalPodAutoscaler in
 * {@code sample-service.yaml} scales on.
 *
 * @author twelvefactor
 */
class AutoscalingMetricIntegrationTests {

	private static final Path MANIFESTS = Path.of("../deploy/kubernetes");

	private static final String POD = "twelvefactor-sample-0";

	@Test
	void adapterRuleGivesTheUtilizationOfTheAdmissionLimitFromThePrometheusEndpoint() throws Exception {
		Path prometheus = ExternalTool.require("prometheus", "apt-get install prometheus");
		Map<String, Object> rule = adapterRule();
		String metric = (String) ((Map<?, ?>) rule.get("name")).get("as");
		assertThat(autoscalerMetrics()).contains(metric);
		ExecutorService clients = Executors.newFixedThreadPool(2);
		Process server = null;
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "4")
			.env("TWELVEFACTOR_GRACEFUL_TIMEOUT", "1")
			.start()
			.awaitReady()) {
			// Two of the four slots taken, from before the first scrape to after the last
			List<CompletableFuture<HttpResponse<String>>> busy = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				busy.add(CompletableFuture.supplyAsync(() -> app.get("/sleep?ms=60000"), clients));
			}
			app.awaitOutput((output) -> output.split("Sleeping 60000 ms", -1).length - 1 == 2, Duration.ofSeconds(30));
			assertThat(app.management("/actuator/prometheus").body())
				.contains("twelvefactor_requests_active_requests 2.0")
				.contains("twelvefactor_requests_limit_requests 4.0");
			int port = SampleAppProcess.freePort();
			server = startPrometheus(prometheus, port, app.managementPort());
			String matchers = "namespace=\"default\",pod=\"" + POD + "\"";
			String query = ((String) rule.get("metricsQuery")).replace("<<.LabelMatchers>>", matchers)
				.replace("<<.GroupBy>>", "pod");
			JsonNode result = awaitResult(port, "query", query);
			assertThat(result.get(0).get("metric").get("pod").asString()).isEqualTo(POD);
			assertThat(Double.parseDouble(result.get(0).get("value").get(1).asString())).isEqualTo(0.5);
			// The adapter discovers the series it serves with the rule's series query
			JsonNode series = awaitResult(port, "series", (String) rule.get("seriesQuery"));
			assertThat(series.get(0).get("pod").asString()).isEqualTo(POD);
		}
		finally {
			if (server != null) {
				server.destroy();
			}
			clients.shutdownNow();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> adapterRule() throws IOException {
		for (Object document : new Yaml().loadAll(Files.readString(MANIFESTS.resolve("sample-monitoring.yaml")))) {
			Map<String, Object> manifest = (Map<String, Object>) document;
			if ("ConfigMap".equals(manifest.get("kind"))) {
				Map<String, Object> data = (Map<String, Object>) manifest.get("data");
				Map<String, Object> config = new Yaml().load((String) data.get("config.yaml"));
				List<Map<String, Object>> rules = (List<Map<String, Object>>) config.get("rules");
				assertThat(rules).hasSize(1);
				return rules.get(0);
			}
		}
		return fail("No Prometheus Adapter rules in sample-monitoring.yaml");
	}

	@SuppressWarnings("unchecked")
	private static List<String> autoscalerMetrics() throws IOException {
		List<String> metrics = new ArrayList<>();
		for (Object document : new Yaml().loadAll(Files.readString(MANIFESTS.resolve("sample-service.yaml")))) {
			Map<String, Object> manifest = (Map<String, Object>) document;
			if ("HorizontalPodAutoscaler".equals(manifest.get("kind"))) {
				Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
				for (Map<String, Object> entry : (List<Map<String, Object>>) spec.get("metrics")) {
					if ("Pods".equals(entry.get("type"))) {
						Map<String, Object> pods = (Map<String, Object>) entry.get("pods");
						metrics.add((String) ((Map<String, Object>) pods.get("metric")).get("name"));
					}
				}
			}
		}
		return metrics;
	}

	/**
	 * Start Prometheus scraping the app every second, with the labels that Kubernetes'
	 * service discovery gives a pod's series.
	 */
	private static Process startPrometheus(Path prometheus, int port, int managementPort) throws IOException {
		Path directory = Files.createTempDirectory("prometheus-");
		Path configuration = directory.resolve("prometheus.yml");
		Files.writeString(configuration, String.join("\n", "global:", "  scrape_interval: 1s", "scrape_configs:",
				"  - job_name: twelvefactor-sample", "    metrics_path: /actuator/prometheus", "    static_configs:",
				"      - targets: ['127.0.0.1:" + managementPort + "']", "        labels:",
				"          namespace: default", "          pod: " + POD, ""));
		return new ProcessBuilder(prometheus.toString(), "--config.file=" + configuration,
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("prometheus.log").toFile())
			.start();
	}

	/**
	 * Ask Prometheus's HTTP API until it answers with a non-empty result.
	 */
	private static JsonNode awaitResult(int port, String api, String query) throws InterruptedException {
		String parameter = api.equals("series") ? "match[]" : "query";
		URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/" + api + "?"
				+ URLEncoder.encode(parameter, StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(query, StandardCharsets.UTF_8));
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> response = SampleAppProcess
					.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build());
				last = response.statusCode() + " " + response.body();
				if (response.statusCode() == 200) {
					JsonNode data = JsonMapper.builder().build().readTree(response.body()).get("data");
					JsonNode result = api.equals("series") ? data : data.get("result");
					if (result.size() > 0) {
						return result;
					}
				}
				else if (response.statusCode() == 400) {
					fail("Prometheus refused the query " + query + ": " + last);
				}
			}
			catch (RuntimeException ex) {
				// Not listening yet
				last = ex.toString();
			}
			Thread.sleep(200);
		}
		return fail("No result for " + query + " within 60 s: " + last);
	}

}
