package dev.twelvefactor.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.AccessLog;
import org.apache.catalina.Valve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StreamAccessLogValve}, {@link StructuredAccessLogValve} and
 * {@link TwelveFactorAccessLogCustomizer}, on a real embedded Tomcat.
 *
 * @author twelvefactor
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamAccessLogValveTests {

	private static final String CLF_TIME = "\\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\]";

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class))
		.withUserConfiguration(TestController.class)
		.withPropertyValues("server.port=0", "server.address=127.0.0.1");

	private static final String BYTES_PATTERN = "twelvefactor.access-log-format=>>%H %U %b|%B";

	private static final String[] COMPRESSION = { "server.compression.enabled=true",
			"server.compression.min-response-size=1", "server.compression.mime-types=text/plain" };

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void combinedLineIsApacheCombinedFieldForField(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			get(context, "/hello?name=world", "Referer", "http://example.com/from", "User-Agent", "test-agent/1.0");
			get(context, "/empty", "User-Agent", "test-agent/1.0");
			List<String> lines = awaitAccessLines(output, "127.0.0.1 ", 2);
			assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME
					+ " \"GET /hello\\?name=world HTTP/1\\.1\" 200 5 \"http://example\\.com/from\" \"test-agent/1\\.0\"");
			// No body: bytes are "-", as Apache writes them; no Referer: "-"
			assertThat(lines.get(1))
				.matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"GET /empty HTTP/1\\.1\" 204 - \"-\" \"test-agent/1\\.0\"");
		});
	}

	@Test
	void commonLineHasNoRefererNorUserAgent(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log-format=common").run((context) -> {
			get(context, "/hello", "User-Agent", "test-agent/1.0");
			List<String> lines = awaitAccessLines(output, "127.0.0.1 ", 1);
			assertThat(lines.get(0)).matches("127\\.0\\.0\\.1 - - " + CLF_TIME + " \"GET /hello HTTP/1\\.1\" 200 5");
		});
	}

	@Test
	void jsonLineHasEveryField(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log-format=json").run((context) -> {
			Instant before = Instant.now().minusSeconds(1);
			get(context, "/hello?name=world", "Referer", "http://example.com/from", "User-Agent", "test-agent/1.0");
			JsonNode line = JsonMapper.shared().readTree(awaitAccessLines(output, "{", 1).get(0));
			assertThat(line.propertyNames()).containsExactly("time", "remote_addr", "method", "path", "query",
					"protocol", "status", "bytes", "duration_ms", "referer", "user_agent");
			assertThat(Instant.parse(line.get("time").asString())).isBetween(before, Instant.now());
			assertThat(line.get("remote_addr").asString()).isEqualTo("127.0.0.1");
			assertThat(line.get("method").asString()).isEqualTo("GET");
			assertThat(line.get("path").asString()).isEqualTo("/hello");
			assertThat(line.get("query").asString()).isEqualTo("name=world");
			assertThat(line.get("protocol").asString()).isEqualTo("HTTP/1.1");
			assertThat(line.get("status").asInt()).isEqualTo(200);
			assertThat(line.get("bytes").asLong()).isEqualTo(5);
			assertThat(line.get("duration_ms").isNumber()).isTrue();
			assertThat(line.get("duration_ms").asDouble()).isNotNegative();
			assertThat(line.get("referer").asString()).isEqualTo("http://example.com/from");
			assertThat(line.get("user_agent").asString()).isEqualTo("test-agent/1.0");
		});
	}

	@Test
	void ecsLineHasElasticCommonSchemaFields(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("twelvefactor.access-log-format=ecs", "spring.application.name=orders",
					"spring.application.version=1.2.3", "logging.structured.ecs.service.node-name=node-\"1\"")
			.run((context) -> {
				Instant before = Instant.now().minusSeconds(1);
				get(context, "/hello?name=world&token=s3cr3t", "Referer", "http://example.com/from", "User-Agent",
						"test-agent/1.0");
				get(context, "/empty");
				List<String> lines = awaitAccessLines(output, "{", 2);
				JsonNode line = JsonMapper.shared().readTree(lines.get(0));
				assertThat(line.propertyNames()).containsExactly("@timestamp", "event", "http", "url", "client",
						"user_agent", "service", "ecs");
				assertThat(Instant.parse(line.get("@timestamp").asString())).isBetween(before, Instant.now());
				assertThat(line.at("/ecs/version").asString()).isEqualTo("8.11");
				assertThat(line.at("/event/duration").isIntegralNumber()).isTrue();
				assertThat(line.at("/event/duration").asLong()).isPositive();
				assertThat(line.at("/http/version").asString()).isEqualTo("1.1");
				assertThat(line.at("/http/request/method").asString()).isEqualTo("GET");
				assertThat(line.at("/http/request/referrer").asString()).isEqualTo("http://example.com/from");
				assertThat(line.at("/http/response/status_code").asInt()).isEqualTo(200);
				assertThat(line.at("/http/response/body/bytes").asLong()).isEqualTo(5);
				assertThat(line.at("/url/path").asString()).isEqualTo("/hello");
				assertThat(line.at("/url/query").asString()).isEqualTo("name=world&token=******");
				assertThat(line.at("/client/address").asString()).isEqualTo("127.0.0.1");
				assertThat(line.at("/user_agent/original").asString()).isEqualTo("test-agent/1.0");
				assertThat(line.at("/service/name").asString()).isEqualTo("orders");
				assertThat(line.at("/service/version").asString()).isEqualTo("1.2.3");
				assertThat(line.at("/service/node/name").asString()).isEqualTo("node-\"1\"");
				assertThat(line.at("/service").propertyNames()).containsExactly("name", "version", "node");
				// Absent values are left out rather than written empty
				JsonNode empty = JsonMapper.shared().readTree(lines.get(1));
				assertThat(empty.at("/url").propertyNames()).containsExactly("path");
				assertThat(empty.at("/http/request").propertyNames()).containsExactly("method");
				assertThat(empty.at("/http/response/body/bytes").asLong()).isZero();
				assertThat(empty.has("trace")).isFalse();
			});
	}

	@Test
	void credentialsNeverReachTheLogEvenWhenThePatternAsksForThem(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("twelvefactor.access-log-format=>>%r|%q|%{Authorization}i|%{proxy-authorization}i"
					+ "|%{Cookie}i|%{session}c|%{Set-Cookie}o|%{X-Other}i")
			.run((context) -> {
				rawRequest(context, bytes("GET /login?user=ann&Password=hunter2&access%5Ftoken=t0k3n&next=/ HTTP/1.1\r\n"
						+ "Host: localhost\r\nAuthorization: Bearer b34r3r\r\nProxy-Authorization: Basic cHJveHk=\r\n"
						+ "Cookie: session=c00k13\r\nX-Other: visible\r\nConnection: close\r\n\r\n"));
				get(context, "/hello?token=");
				List<String> lines = awaitAccessLines(output, ">>", 2);
				assertThat(lines.get(0)).doesNotContain("hunter2", "t0k3n", "b34r3r", "cHJveHk", "c00k13", "s3t")
					.isEqualTo(">>GET /login?user=ann&Password=******&access%5Ftoken=******&next=/ HTTP/1.1"
							+ "|?user=ann&Password=******&access%5Ftoken=******&next=/|******|******|******|******"
							+ "|******|visible");
				// An empty value has nothing to hide; absent headers stay "-"
				assertThat(lines.get(1)).isEqualTo(">>GET /hello?token= HTTP/1.1|?token=|-|-|-|-|-|-");
			});
	}

	@Test
	void jsonLinesMaskCredentialsInTheQuery(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("twelvefactor.access-log-format=json", "twelvefactor.access-log-mask=code,state")
			.run((context) -> {
				get(context, "/hello?code=abc&state=xyz&token=kept");
				JsonNode line = JsonMapper.shared().readTree(awaitAccessLines(output, "{", 1).get(0));
				assertThat(line.get("query").asString()).isEqualTo("code=******&state=******&token=kept");
			});
	}

	@ParameterizedTest
	@CsvSource({ "HTTP/1.1, /fixed, ''", "HTTP/1.0, /fixed, ''", "HTTP/1.1, /chunked, ''", "HTTP/1.0, /chunked, ''",
			"HTTP/1.0, /fixed, gzip", "HTTP/1.0, /chunked, gzip" })
	void bytesAreTheBodyBytesSentWithoutTransferFraming(String protocol, String path, String encoding,
			CapturedOutput output) {
		this.contextRunner.withPropertyValues(BYTES_PATTERN).withPropertyValues(COMPRESSION).run((context) -> {
			HttpBody body = HttpBody.of(rawRequest(context, bytesRequest(protocol, path, encoding)));
			assertThat(body.chunked()).isEqualTo(protocol.equals("HTTP/1.1") && path.equals("/chunked"));
			assertThat(body.compressed()).isEqualTo(!encoding.isEmpty());
			assertThat(body.length()).isEqualTo(encoding.isEmpty() ? 3000 : body.length()).isPositive();
			assertThat(awaitAccessLines(output, ">>", 1))
				.containsExactly(">>" + protocol + " " + path + " " + body.length() + "|" + body.length());
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "/fixed", "/chunked" })
	void bytesOfAResponseTomcatCompressesOnHttp11IncludeItsChunkHeaders(String path, CapturedOutput output) {
		// Tomcat counts its compressed bytes only as written to the connection, framed
		this.contextRunner.withPropertyValues(BYTES_PATTERN).withPropertyValues(COMPRESSION).run((context) -> {
			HttpBody body = HttpBody.of(rawRequest(context, bytesRequest("HTTP/1.1", path, "gzip")));
			assertThat(body.chunked()).isTrue();
			assertThat(body.compressed()).isTrue();
			assertThat(awaitAccessLines(output, ">>", 1))
				.containsExactly(">>HTTP/1.1 " + path + " " + body.framedLength() + "|" + body.framedLength());
		});
	}

	@Test
	void jsonLineKeepsAHostileUserAgentInsideItsField(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log-format=json").run((context) -> {
			// Quotes, a backslash, UTF-8 and a byte that is not UTF-8: Tomcat lets them in
			rawRequest(context, bytes("GET /hello?q=%22 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: evil\",\"status\":999",
					" \\\" caf", 0xC3, 0xA9, " ", 0xFF, " end\r\nReferer: a\"b\r\nConnection: close\r\n\r\n"));
			// ESC and a lone CR: Tomcat rejects the header line with a 400, which is logged too
			rawRequest(context, bytes("GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: a\u001b[31m\"b\rc\r\n"
					+ "Connection: close\r\n\r\n"));
			List<String> lines = awaitAccessLines(output, "{", 2);
			assertThat(lines).hasSize(2).allSatisfy((line) -> assertThat(line).matches("\\{\\p{Print}+\\}"));
			JsonNode accepted = JsonMapper.shared().readTree(lines.get(0));
			assertThat(accepted.get("status").asInt()).isEqualTo(200);
			// Tomcat reads headers as ISO-8859-1: each byte is one character
			assertThat(accepted.get("user_agent").asString())
				.isEqualTo("evil\",\"status\":999 \\\" caf\u00c3\u00a9 \u00ff end");
			assertThat(accepted.get("referer").asString()).isEqualTo("a\"b");
			assertThat(accepted.get("query").asString()).isEqualTo("q=%22");
			JsonNode rejected = JsonMapper.shared().readTree(lines.get(1));
			assertThat(rejected.get("status").asInt()).isEqualTo(400);
			assertThat(rejected.get("path").asString()).isEqualTo("/hello");
		});
	}

	@Test
	void hostileRequestsNeverForgeNorSplitALine(@TempDir Path directory) throws IOException {
		Path file = directory.resolve("access.log");
		// Let quotes and backslashes into the path and the query, as some applications must
		this.contextRunner
			.withPropertyValues("twelvefactor.access-log=" + file, "server.tomcat.relaxed-path-chars=\",\\",
					"server.tomcat.relaxed-query-chars=\",\\")
			.run((context) -> {
				List<byte[]> requests = List.of(
						// Accepted: quotes, backslashes and bytes that are not ASCII in headers
						bytes("GET /hello HTTP/1.1\r\nHost: localhost\r\nReferer: \" 200 0 \"forged\r\n"
								+ "User-Agent: a\\\"b", 0xFF, 0xC3, "\r\nConnection: close\r\n\r\n"),
						// Accepted: quotes and backslashes in the path and the query
						bytes("GET /he\"llo\\x?a=\"b\\c\" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
						// Accepted: a very long header
						bytes("GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + "\"\\".repeat(3000)
								+ "\r\nConnection: close\r\n\r\n"),
						// Rejected: control characters in a header
						bytes("GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: a\u001b[2J\u0000b\r\n"
								+ "Connection: close\r\n\r\n"),
						// Rejected: a lone line feed that would start a forged line
						bytes("GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: a\n127.0.0.1 - - [x] \"GET / HTTP/1.1\"\r\n"
								+ "Connection: close\r\n\r\n"),
						// Rejected: a NUL, an escape and bytes that are not ASCII in the request target
						bytes("GET /hello\u0000?x=\u001b", 0x80, 0xFE, " HTTP/1.1\r\nHost: localhost\r\n"
								+ "Connection: close\r\n\r\n"),
						// Rejected: a request line that is not HTTP at all
						bytes("\u001b[31m\"GET\" \\ /\r\n\r\n"));
				for (byte[] request : requests) {
					rawRequest(context, request);
				}
				await().atMost(DEADLINE)
					.untilAsserted(() -> assertThat(Files.readAllLines(file)).hasSize(requests.size()));
				List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
				// Every escape taken out, a field in quotes has no quote left inside
				assertThat(lines).hasSize(requests.size())
					.allSatisfy((line) -> assertThat(line).matches("\\p{Print}+"))
					.extracting((line) -> line.replaceAll("\\\\.", "_"))
					.allSatisfy((line) -> assertThat(line).matches("127\\.0\\.0\\.1 - - " + CLF_TIME
							+ " \"[^\"]*\" \\d{3} (\\d+|-) \"[^\"]*\" \"[^\"]*\""));
				assertThat(lines.get(0)).endsWith("\" 200 5 \"\\\" 200 0 \\\"forged\" \"a\\\\\\\"b\\u00ff\\u00c3\"");
				// Tomcat answers 400 to a backslash in the path, and the line still escapes it
				assertThat(lines.get(1)).contains(" \"GET /he\\\"llo\\\\x?a=\\\"b\\\\c\\\" HTTP/1.1\" 400 ");
				assertThat(lines.get(2)).contains(" 200 5 \"-\" \"" + "\\\"\\\\".repeat(3000) + "\"");
			});
	}

	@Test
	void customPatternEscapesRequestValues(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log-format=>>%m %U%q %s %{X-Test}i %{X-None}i")
			.run((context) -> {
				rawRequest(context, bytes("GET /hello?a=b HTTP/1.1\r\nHost: localhost\r\nX-Test: \"x\" \\ ", 0xE9,
						"\r\nConnection: close\r\n\r\n"));
				assertThat(awaitAccessLines(output, ">>", 1))
					.containsExactly(">>GET /hello?a=b 200 \\\"x\\\" \\\\ \\u00e9 -");
			});
	}

	@Test
	void forwardedClientAddressIsLoggedWhenItIsAnAddress(CapturedOutput output) {
		this.contextRunner.withPropertyValues("server.forward-headers-strategy=native").run((context) -> {
			get(context, "/hello", "X-Forwarded-For", "203.0.113.7");
			get(context, "/hello", "X-Forwarded-For", "1.2.3.4\", \"forged [x]");
			await().atMost(DEADLINE).until(() -> helloLines(output).size() >= 2);
			List<String> lines = helloLines(output);
			assertThat(lines).hasSize(2);
			assertThat(lines.get(0)).startsWith("203.0.113.7 - - [");
			// Not an address: the connection's address instead
			assertThat(lines.get(1)).startsWith("127.0.0.1 - - [");
		});
	}

	@Test
	void excludedPathIsNotLoggedUnlessItFails(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log-exclude=/health.*").run((context) -> {
			get(context, "/health");
			get(context, "/hello");
			get(context, "/health/missing");
			List<String> lines = awaitAccessLines(output, "127.0.0.1 ", 2);
			assertThat(lines).hasSize(2);
			assertThat(lines.get(0)).contains("\"GET /hello HTTP/1.1\" 200");
			assertThat(lines.get(1)).contains("\"GET /health/missing HTTP/1.1\" 404");
		});
	}

	@Test
	void exclusionMatchesTheDecodedPath(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log-exclude=/health").run((context) -> {
			get(context, "/%68ealth");
			get(context, "/health;p=1");
			get(context, "/hello");
			List<String> lines = awaitAccessLines(output, "127.0.0.1 ", 1);
			assertThat(lines).singleElement().asString().contains("\"GET /hello HTTP/1.1\" 200");
		});
	}

	@Test
	void fileTargetIsAppendedTo(@TempDir Path directory) throws IOException {
		Path file = directory.resolve("access.log");
		Files.writeString(file, "earlier line\n");
		this.contextRunner.withPropertyValues("twelvefactor.access-log=" + file).run((context) -> {
			get(context, "/hello");
			await().atMost(DEADLINE).untilAsserted(() -> assertThat(Files.readAllLines(file)).hasSize(2));
			List<String> lines = Files.readAllLines(file);
			assertThat(lines.get(0)).isEqualTo("earlier line");
			assertThat(lines.get(1)).contains("\"GET /hello HTTP/1.1\" 200 5");
		});
		assertThat(Files.readAllLines(file)).hasSize(2);
	}

	@Test
	void offInstallsNoValve(CapturedOutput output) {
		this.contextRunner.withPropertyValues("twelvefactor.access-log=off").run((context) -> {
			assertThat(engineValves(context)).noneMatch(AccessLog.class::isInstance);
			get(context, "/hello");
		});
		assertThat(output.getOut()).doesNotContain("GET /hello");
	}

	@Test
	void defaultInstallsOneValveOnTheEngine() {
		this.contextRunner.run((context) -> assertThat(engineValves(context)).filteredOn(AccessLog.class::isInstance)
			.singleElement()
			.isInstanceOf(StreamAccessLogValve.class)
			.satisfies((valve) -> assertThat(((StreamAccessLogValve) valve).getOutput()).hasToString("stdout")));
	}

	@Test
	void springBootAccessLogIsLeftAloneAndNoSecondIsInstalled(@TempDir Path directory, CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("server.tomcat.accesslog.enabled=true",
					"server.tomcat.accesslog.directory=" + directory)
			.run((context) -> {
				assertThat(engineValves(context)).filteredOn(AccessLog.class::isInstance)
					.singleElement()
					.isInstanceOf(org.apache.catalina.valves.AccessLogValve.class);
				assertThat(output.getAll()).containsOnlyOnce("Tomcat already has Spring Boot's access log");
			});
	}

	private static List<Valve> engineValves(AssertableWebApplicationContext context) {
		TomcatWebServer webServer = (TomcatWebServer) context
			.getSourceApplicationContext(ServletWebServerApplicationContext.class)
			.getWebServer();
		return Arrays.asList(webServer.getTomcat().getEngine().getPipeline().getValves());
	}

	private static int port(AssertableWebApplicationContext context) {
		return context.getSourceApplicationContext(ServletWebServerApplicationContext.class).getWebServer().getPort();
	}

	private void get(AssertableWebApplicationContext context, String path, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		this.client.send(request.build(), HttpResponse.BodyHandlers.discarding());
	}

	/**
	 * Send bytes as they are and read the response until the server closes the connection.
	 */
	private static byte[] rawRequest(AssertableWebApplicationContext context, byte[]... parts) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port(context))) {
			socket.setSoTimeout((int) DEADLINE.toMillis());
			OutputStream out = socket.getOutputStream();
			for (byte[] part : parts) {
				out.write(part);
			}
			out.flush();
			InputStream in = socket.getInputStream();
			return in.readAllBytes();
		}
	}

	/**
	 * Return the bytes of strings (each character one byte) and of single byte values.
	 */
	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof Integer value) {
				bytes.write(value);
			}
			else {
				bytes.writeBytes(((String) part).getBytes(StandardCharsets.ISO_8859_1));
			}
		}
		return bytes.toByteArray();
	}

	private static List<String> helloLines(CapturedOutput output) {
		try (Stream<String> lines = output.getOut().lines()) {
			return lines.filter((line) -> line.contains("\"GET /hello HTTP/1.1\"")).toList();
		}
	}

	private static List<String> awaitAccessLines(CapturedOutput output, String prefix, int count) {
		await().atMost(DEADLINE).until(() -> accessLines(output, prefix).size() >= count);
		return accessLines(output, prefix);
	}

	private static List<String> accessLines(CapturedOutput output, String prefix) {
		try (Stream<String> lines = output.getOut().lines()) {
			return lines.filter((line) -> line.startsWith(prefix)).toList();
		}
	}

	private static byte[] bytesRequest(String protocol, String path, String encoding) {
		return bytes("GET " + path + " " + protocol + "\r\nHost: localhost\r\nAccept-Encoding: "
				+ (encoding.isEmpty() ? "identity" : encoding) + "\r\nConnection: close\r\n\r\n");
	}

	/**
	 * The body of a raw HTTP/1.x response: its length once the chunk framing is taken out,
	 * and as it was on the wire.
	 */
	private record HttpBody(int length, int framedLength, boolean chunked, boolean compressed) {

		static HttpBody of(byte[] response) {
			String text = new String(response, StandardCharsets.ISO_8859_1);
			int bodyStart = text.indexOf("\r\n\r\n") + 4;
			String headers = text.substring(0, bodyStart).toLowerCase(Locale.ROOT);
			boolean chunked = headers.contains("\r\ntransfer-encoding: chunked\r\n");
			boolean compressed = headers.contains("\r\ncontent-encoding: gzip\r\n");
			if (!chunked) {
				return new HttpBody(response.length - bodyStart, response.length - bodyStart, false, compressed);
			}
			int length = 0;
			int position = bodyStart;
			while (true) {
				int lineEnd = text.indexOf("\r\n", position);
				int size = Integer.parseInt(text.substring(position, lineEnd), 16);
				if (size == 0) {
					return new HttpBody(length, response.length - bodyStart, true, compressed);
				}
				length += size;
				position = lineEnd + 2 + size + 2;
			}
		}

	}

	@RestController
	static class TestController {

		@GetMapping({ "/hello", "/health" })
		String hello() {
			return "hello";
		}

		@GetMapping("/empty")
		ResponseEntity<Void> empty() {
			return ResponseEntity.noContent().build();
		}

		@GetMapping(path = "/fixed", produces = "text/plain")
		String fixed() {
			return "f".repeat(3000);
		}

		@GetMapping("/chunked")
		void chunked(HttpServletResponse response) throws IOException {
			response.setContentType("text/plain");
			for (int i = 0; i < 3; i++) {
				response.getOutputStream().write("c".repeat(1000).getBytes(StandardCharsets.US_ASCII));
				response.flushBuffer();
			}
		}

		@GetMapping("/login")
		ResponseEntity<String> login() {
			return ResponseEntity.ok().header("Set-Cookie", "session=s3t; HttpOnly").body("in");
		}

	}

}
