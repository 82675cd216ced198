package dev.twelvefactor.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The variables a Gunicorn compose file or Kubernetes manifest brings along, given to the
 * packaged app: those of Gunicorn's official image, and {@code GUNICORN_CMD_ARGS} with its
 * flags, a flag with no meaning here, and a bad value.
 *
 * @author twelvefactor
 */
class GunicornVariablesIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void officialImageVariablesSetTheAddressThePortAndTheWorkers() {
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("GUNICORN_HOST", "127.0.0.1")
			.env("GUNICORN_PORT", String.valueOf(port))
			.env("GUNICORN_WORKERS", "4")
			.port(port)
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Bind: 127.0.0.1:" + port + " (GUNICORN_HOST, GUNICORN_PORT)",
					"Workers: 4 (GUNICORN_WORKERS)");
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			assertThat(json.readTree(app.management("/actuator/twelvefactor").body()).at("/live/admissionLimit").asInt())
				.isEqualTo(4);
		}
	}

	@Test
	void commandArgumentsSetTheSettingsOfTheirFlagsAndWarnAboutTheOthers() {
		// Every flag of the list but those of the certificate files (see
		// GunicornVariablesTests), with flags that have no meaning here among them
		String combined = "'%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"'";
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("GUNICORN_CMD_ARGS", "-b 127.0.0.1:" + port + " --workers 3 --threads 2 --timeout=45 "
					+ "--graceful-timeout 50 --keep-alive 5 --backlog 64 --log-level info --access-logfile - "
					+ "--error-logfile - --access-logformat " + combined + " --forwarded-allow-ips 127.0.0.1 "
					+ "--limit-request-line 4000 --limit-request-fields 90 --limit-request-field_size 8000 "
					+ "--preload --max-requests 1000 -k gevent")
			.port(port)
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Bind: 127.0.0.1:" + port + " (GUNICORN_CMD_ARGS -b)",
					"Workers: 3 (GUNICORN_CMD_ARGS --workers)", "Threads: 2 (GUNICORN_CMD_ARGS --threads)",
					"Timeout: 45s (GUNICORN_CMD_ARGS --timeout)",
					"Graceful timeout: 50s (GUNICORN_CMD_ARGS --graceful-timeout)",
					"Keep-alive: 5s (GUNICORN_CMD_ARGS --keep-alive)", "Backlog: 64 (GUNICORN_CMD_ARGS --backlog)",
					"Log level: info (GUNICORN_CMD_ARGS --log-level)",
					"Access log: stdout, combined (GUNICORN_CMD_ARGS --access-logfile, GUNICORN_CMD_ARGS --access-logformat)",
					"Error log: stderr (GUNICORN_CMD_ARGS --error-logfile)",
					"Forwarded allow ips: 127.0.0.1 (GUNICORN_CMD_ARGS --forwarded-allow-ips)",
					"Limit request line: 4000 (GUNICORN_CMD_ARGS --limit-request-line)",
					"Limit request fields: 90 (GUNICORN_CMD_ARGS --limit-request-fields)",
					"Limit request field size: 8000 (GUNICORN_CMD_ARGS --limit-request-field_size)");
			List<String> warnings = app.stderr().lines().filter((line) -> line.contains(" WARN ")).toList();
			assertThat(warnings).anySatisfy((line) -> assertThat(line)
				.endsWith("GUNICORN_CMD_ARGS --preload has no meaning for twelvefactor and is ignored"));
			assertThat(warnings).anySatisfy((line) -> assertThat(line)
				.endsWith("GUNICORN_CMD_ARGS --max-requests has no meaning for twelvefactor and is ignored"));
			assertThat(warnings).anySatisfy((line) -> assertThat(line)
				.endsWith("GUNICORN_CMD_ARGS -k has no meaning for twelvefactor and is ignored"));
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> !app.stdout().isEmpty(), Duration.ofSeconds(15));
			assertThat(app.stdout().lines().findFirst().orElseThrow()).matches(
					"127\\.0\\.0\\.1 - - \\[[^\\]]+\\] \"GET / HTTP/1\\.1\" 200 \\d+ \"-\" \"Java-http-client/[^\"]+\"");
			// The limits are those of the flags: a request line of 4001 bytes gets Gunicorn's 400
			String target = "/?pad=" + "a".repeat(4001 - "GET /?pad= HTTP/1.1".length());
			assertThat(RawHttp.get("127.0.0.1", "127.0.0.1", port, target).status()).isEqualTo(400);
		}
	}

	@Test
	void badValueInCommandArgumentsStopsTheStartNamingTheFlagAndAnUnknownFlagIsNamedInAWarning() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("GUNICORN_CMD_ARGS", "--workers lots --bogus-flag")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isNotZero();
			assertThat(app.output()).contains("GUNICORN_CMD_ARGS --workers=\"lots\": not a whole number",
					"GUNICORN_CMD_ARGS --bogus-flag has no meaning for twelvefactor and is ignored")
				.doesNotContain("Ready: listening");
		}
	}

}
