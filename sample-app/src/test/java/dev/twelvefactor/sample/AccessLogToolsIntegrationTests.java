package dev.twelvefactor.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log of the packaged app, with hostile requests among ordinary ones, read by
 * the tools that read access logs: GoAccess parses every {@code combined} line, and every
 * field of the {@code ecs} lines is an Elastic Common Schema field of the right type.
 *
 * @author twelvefactor
 */
class AccessLogToolsIntegrationTests {

	/**
	 * Where {@code .ci/run} installs the npm package of the ECS field definitions.
	 */
	private static final Path ECS_FIELDS = Path.of("../.ci/node_modules/@elastic/ecs/build/commonjs/ecs_flat.js");

	private static final List<byte[]> REQUESTS = List.of(
			RawHttp.request("GET /?page=2&token=s3cr3t HTTP/1.1",
					"Referer: http://example.com/a?b=c\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)"),
			RawHttp.request("GET /a\"b%22c?q=\"x\"&r=%0d%0aFORGED HTTP/1.1", "User-Agent: \" 200 0 \"-\" \"evil"),
			RawHttp.request("GET /%0a127.0.0.1%20-%20-%20[01/Jan/2000] HTTP/1.1", "Referer: a\\\"b\\"),
			RawHttp.request("GET /ok?" + "x".repeat(4000) + " HTTP/1.1", "User-Agent: " + "y".repeat(6000)),
			RawHttp.request("GET /ctl HTTP/1.1", "User-Agent: a\u001b[31mred\u0007"),
			RawHttp.request("POST / HTTP/1.0", "Authorization: Bearer s3cr3t"),
			RawHttp.request("HEAD /missing HTTP/1.1", "X-Forwarded-For: 1.2.3.4\", \"forged"),
			RawHttp.bytes("GET /utf8-\u00ff\u00fe\u00c3 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: \u00c3\u0028\u00a0\u00a1\r\n"
					+ "Connection: close\r\n\r\n"),
			RawHttp.bytes("NOT-HTTP \"\u0001\r\n\r\n"));

	@Test
	void goAccessParsesEveryCombinedLine(@TempDir Path directory) throws Exception {
		Path goaccess = ExternalTool.require("goaccess", "apt-get install goaccess");
		List<String> lines = accessLines("combined");
		assertThat(String.join("\n", lines)).doesNotContain("s3cr3t");
		Path log = Files.write(directory.resolve("access.log"), lines);
		Path report = directory.resolve("report.json");
		run(List.of(goaccess.toString(), log.toString(), "--log-format=COMBINED", "--no-global-config", "-o",
				report.toString()), directory);
		JsonNode general = JsonMapper.shared().readTree(report.toFile()).get("general");
		assertThat(general.get("total_requests").asInt()).isEqualTo(REQUESTS.size());
		assertThat(general.get("failed_requests").asInt()).isZero();
	}

	@Test
	void everyEcsFieldIsAnElasticCommonSchemaFieldOfTheRightType(@TempDir Path directory) throws Exception {
		Path node = ExternalTool.require("node", "apt-get install nodejs");
		Path fields = ExternalTool.requireFile(ECS_FIELDS, "npm install --no-save --prefix .ci @elastic/ecs");
		List<String> lines = accessLines("ecs");
		Map<String, JsonNode> values = new LinkedHashMap<>();
		for (String line : lines) {
			flatten("", JsonMapper.shared().readTree(line), values);
		}
		assertThat(values).containsKeys("@timestamp", "ecs.version", "http.request.method", "url.path", "url.query",
				"http.version", "http.response.status_code", "http.response.body.bytes", "event.duration",
				"client.address", "user_agent.original", "http.request.referrer");
		Map<String, String> types = ecsTypes(node, fields, values.keySet(), directory);
		values.forEach((name, value) -> {
			assertThat(types.get(name)).as("ECS type of %s", name).isNotNull().isNotEqualTo("?");
			switch (types.get(name)) {
				case "long" -> assertThat(value.isIntegralNumber()).as(name).isTrue();
				case "date" -> assertThat(value.isString()).as(name).isTrue();
				case "keyword", "wildcard", "match_only_text", "text", "constant_keyword" ->
					assertThat(value.isString() || value.isArray()).as(name).isTrue();
				default -> throw new AssertionError("Unexpected ECS type " + types.get(name) + " of " + name);
			}
		});
	}

	private static List<String> accessLines(String format) throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ACCESS_LOG_FORMAT", format)
			.env("SERVER_FORWARD_HEADERS_STRATEGY", "native")
			.start()
			.awaitReady()) {
			for (byte[] request : REQUESTS) {
				RawHttp.send(app.port(), request);
			}
			app.awaitOutput((output) -> app.stdout().lines().count() >= REQUESTS.size(), Duration.ofSeconds(15));
			List<String> lines = app.stdout().lines().toList();
			assertThat(lines).hasSize(REQUESTS.size());
			return lines;
		}
	}

	private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> values) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				flatten(prefix + member.getKey() + (member.getValue().isObject() ? "." : ""), member.getValue(), values);
			}
		}
		else {
			values.put(prefix, node);
		}
	}

	/**
	 * Return the ECS type of each field, {@code ?} for a name that is not an ECS field, as
	 * the ECS project's own field definitions give it.
	 */
	private static Map<String, String> ecsTypes(Path node, Path fields, Iterable<String> names, Path directory)
			throws Exception {
		List<String> command = new ArrayList<>(List.of(node.toString(), "-e",
				"const { EcsFlat } = require(process.argv[1]);"
						+ "for (const name of process.argv.slice(2)) console.log(name + ' ' + (EcsFlat[name]?.type ?? '?'));",
				fields.toAbsolutePath().toString()));
		names.forEach(command::add);
		Map<String, String> types = new LinkedHashMap<>();
		for (String line : run(command, directory).lines().toList()) {
			int space = line.lastIndexOf(' ');
			types.put(line.substring(0, space), line.substring(space + 1));
		}
		return types;
	}

	private static String run(List<String> command, Path directory) throws Exception {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(text).isZero();
		return text;
	}

}
