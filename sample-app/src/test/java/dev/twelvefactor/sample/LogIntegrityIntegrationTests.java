package dev.twelvefactor.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
			request("GET /a\"b%22c?q=\"x\"&r=%0d%0aFORGED HTTP/1.1", "User-Agent: \" 200 0 \"-\" \"evil"),
			request("GET /%0a127.0.0.1%20-%20-%20[01/Jan/2000] HTTP/1.1", "Referer: a\\\"b\\"),
			request("GET /ok?" + "x".repeat(4000) + " HTTP/1.1", "User-Agent: " + "y".repeat(6000)),
			request("GET /ctl HTTP/1.1", "User-Agent: a\u001b[31mred\u0007"),
			request("GET /crlf HTTP/1.1", "X-Evil: a\rInjected: b"),
			request("GET /nul HTTP/1.1", "User-Agent: a\u0000b"),
			bytes("GET /utf8-\u00ff\u00fe\u00c3 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: \u00c3\u0028\u00a0\u00a1\r\n"
					+ "Connection: close\r\n\r\n"),
			bytes("NOT-HTTP \"\u0001\r\n\r\n"));

	@ParameterizedTest
	@ValueSource(strings = { "combined", "common", "json", "ecs" })
	void hostileRequestsGiveExactlyOneWellFormedLineEach(String format) throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ACCESS_LOG_FORMAT", format)
			.start()
			.awaitReady()) {
			for (byte[] request : HOSTILE) {
				send(app.port(), request);
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

	private static byte[] request(String requestLine, String header) {
		return bytes(requestLine + "\r\nHost: localhost\r\n" + header + "\r\nConnection: close\r\n\r\n");
	}

	private static byte[] bytes(String latin1) {
		return latin1.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static void send(int port, byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream output = socket.getOutputStream();
			output.write(request);
			output.flush();
			InputStream input = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			input.transferTo(response);
			assertThat(response.size()).isPositive();
		}
	}

}
