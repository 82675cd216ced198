package dev.twelvefactor.sample;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile paths, query strings and headers, sent as raw bytes to the packaged app, never
 * produce a forged or split access line, in any format.
 *
 * @author twelvefactor
 */
class LogIntegrityIntegrationTests {

	/**
	 * Combined line once its escape sequences are removed: no quote is left unescaped
	 * inside a field.
	 */
	private static final String COMBINED = "\\S+ - - \\[[^\\]]+\\] \"[^\"]*\" \\d{3} (\\d+|-) \"[^\"]*\" \"[^\"]*\"";

	private static final String COMMON = "\\S+ - - \\[[^\\]]+\\] \"[^\"]*\" \\d{3} (\\d+|-)";

	/**
	 * Raw requests, each one line of the access log whatever Tomcat makes of it.
	 */
	private static final List<byte[]> HOSTILE = List.of(
			RawHttp.request("GET /a\"b%22c?q=\"x\"&r=%0d%0aFORGED HTTP/1.1", "User-Agent: \" 200 0 \"-\" \"evil"),
			RawHttp.request("GET /%0a127.0.0.1%20-%20-%20[01/Jan/2000] HTTP/1.1", "Referer: a\\\"b\\"),
			RawHttp.request("GET /ok?" + "x".repeat(4000) + " HTTP/1.1", "User-Agent: " + "y".repeat(6000)),
			RawHttp.request("GET /ctl HTTP/1.1", "User-Agent: a\u001b[31mred\u0007"),
			RawHttp.request("GET /crlf HTTP/1.1", "X-Evil: a\rInjected: b"),
			RawHttp.request("GET /nul HTTP/1.1", "User-Agent: a\u0000b"),
			RawHttp.bytes("GET /utf8-\u00ff\u00fe\u00c3 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: \u00c3\u0028\u00a0\u00a1\r\n"
					+ "Connection: close\r\n\r\n"),
			RawHttp.bytes("NOT-HTTP \"\u0001\r\n\r\n"));

	@ParameterizedTest
	@ValueSource(strings = { "combined", "common", "json", "ecs" })
	void hostileRequestsGiveExactlyOneWellFormedLineEach(String format) throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ACCESS_LOG_FORMAT", format)
			.start()
			.awaitReady()) {
			for (byte[] request : HOSTILE) {
				RawHttp.send(app.port(), request);
			}
			app.awaitOutput((output) -> app.stdout().lines().count() >= HOSTILE.size(), Duration.ofSeconds(15));
			List<String> lines = app.stdout().lines().toList();
			assertThat(lines).hasSize(HOSTILE.size());
			JsonMapper json = JsonMapper.builder().build();
			for (String line : lines) {
				assertThat(line).doesNotContain("\u001b").doesNotContain("\u0000").doesNotContain("\r");
				switch (format) {
					case "combined" -> assertThat(unescaped(line)).as(line).matches(COMBINED);
					case "common" -> assertThat(unescaped(line)).as(line).matches(COMMON);
					case "ecs" -> assertThat(json.readTree(line).at("/http/response/status_code").isNumber()).as(line)
						.isTrue();
					default -> assertThat(json.readTree(line).get("status").isNumber()).as(line).isTrue();
				}
			}
			assertThat(String.join("\n", lines)).doesNotContain("\nFORGED").doesNotContain("\n127.0.0.1 - - [01/Jan");
		}
	}

	private static String unescaped(String line) {
		StringBuilder unescaped = new StringBuilder(line.length());
		for (int i = 0; i < line.length(); i++) {
			if (line.charAt(i) == '\\') {
				i++;
			}
			else {
				unescaped.append(line.charAt(i));
			}
		}
		return unescaped.toString();
	}

}
