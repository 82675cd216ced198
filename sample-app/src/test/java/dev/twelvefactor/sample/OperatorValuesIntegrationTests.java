package dev.twelvefactor.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the packaged app makes of the values operators give it: warnings that agree with
 * what runs, values shown escaped, conflicts named, and the edges of the timeouts, the
 * access log and the memory budget.
 *
 * @author twelvefactor
 */
class OperatorValuesIntegrationTests {

	@Test
	void spellingsThatSpringBootReadsAreAppliedAndNotCalledIgnored() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			// The attacker's review: warned about as "not read by twelvefactor", then applied
			.env("twelvefactor_workers", "7")
			.env("TWELVEFACTOR_BACKLOG_", "50")
			.env("TWELVEFACTOR-THREADS", "2")
			.start()
			.awaitReady()) {
			assertThat(app.stderr()).contains("Workers: 7 (twelvefactor_workers)")
				.contains("Backlog: 50 (TWELVEFACTOR_BACKLOG_)")
				.contains("Threads: 1 (default)")
				.doesNotContain("\"twelvefactor_workers\" is not")
				.doesNotContain("\"TWELVEFACTOR_BACKLOG_\" is not")
				.contains("Environment variable \"TWELVEFACTOR-THREADS\" is not read by twelvefactor; did you mean "
						+ "TWELVEFACTOR_THREADS?");
		}
	}

	@Test
	void portAndBindBothSetWarnNamingBothAndWhichWins() {
		int bound = SampleAppProcess.freePort();
		int ignored = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("PORT", String.valueOf(ignored))
			.env("TWELVEFACTOR_BIND", "127.0.0.1:" + bound)
			.port(bound)
			.start()
			.awaitReady()) {
			assertThat(app.stderr()).containsPattern("WARN .* Environment variables TWELVEFACTOR_BIND and PORT both set "
					+ "twelvefactor.bind: TWELVEFACTOR_BIND wins and PORT is ignored");
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket("127.0.0.1", ignored).close());
		}
	}

	@Test
	void operatorValuesAreShownEscapedNeverRaw() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ON_INVALID", "default")
			.env("LOG_LEVEL", "info")
			.env("LOGGING_LEVEL_ROOT", "warn\u001b[2J\nForged: line")
			.env("GUNICORN_TIMEOUT", "30\u001f")
			.env("TWELVEFACTOR_ACCESS_LOG_EXCLUDE", "/health\u001b31m")
			.start()
			.awaitReady()) {
			assertThat(app.stderr())
				.contains("Log level: info (LOG_LEVEL; overrides logging.level.root=warn\\u001b[2J\\u000aForged: line)")
				.contains("Invalid GUNICORN_TIMEOUT=\"30\\u001f\": not a duration")
				.contains("Timeout: 60s (default, in place of invalid GUNICORN_TIMEOUT)")
				.contains("excluding /health\\u001b31m")
				.doesNotContain("\u001b")
				.doesNotContain("\u001f");
			assertThat(app.stderr().lines()).noneMatch((line) -> line.startsWith("Forged: line"));
		}
	}

	@Test
	void accessLogPathThatIsASymbolicLinkIsRefused(@TempDir Path directory) throws IOException {
		Path target = Files.writeString(directory.resolve("elsewhere"), "kept\n");
		Path link = Files.createSymbolicLink(directory.resolve("access.log"), target);
		try (SampleAppProcess app = SampleAppProcess.builder().env("TWELVEFACTOR_ACCESS_LOG", link.toString()).start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output()).contains("TWELVEFACTOR_ACCESS_LOG=\"" + link + "\": it is a symbolic link, "
					+ "which the access log does not follow");
		}
		assertThat(Files.readString(target)).isEqualTo("kept\n");
	}

	@Test
	void subSecondTimeoutLeavesClientsTimeToSendTheirRequest() throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder().env("GUNICORN_TIMEOUT", "1ms").start().awaitReady()) {
			assertThat(app.stderr()).contains("Timeout 1ms is shorter than 1s");
			try (Socket socket = new Socket("127.0.0.1", app.port())) {
				socket.setSoTimeout(10_000);
				// A client on the same machine, a little slow to send: with a connection
				// timeout of 1 ms its connection used to be closed before its request
				pause(Duration.ofMillis(300));
				OutputStream output = socket.getOutputStream();
				output.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
				output.flush();
				InputStream input = socket.getInputStream();
				String response = new String(input.readNBytes(12), StandardCharsets.US_ASCII);
				// Answered, within or past its 1 ms deadline
				assertThat(response).matches("HTTP/1\\.1 (200|503)");
			}
		}
	}

	@Test
	void requestCutAtTheEndOfTheGracefulShutdownIsAnswered503AndLoggedWithItsClientsAddress() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_GRACEFUL_TIMEOUT", "2")
			.env("GUNICORN_TIMEOUT", "30")
			.start()
			.awaitReady()) {
			CompletableFuture<HttpResponse<String>> cut = CompletableFuture
				.supplyAsync(() -> app.get("/sleep?ms=20000"));
			app.awaitOutput((output) -> output.contains("Sleeping 20000 ms"), Duration.ofSeconds(30));
			app.process().destroy();
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			String line = app.stdout()
				.lines()
				.filter((candidate) -> candidate.contains("/sleep?ms=20000"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No access line for the cut request in:\n" + app.stdout()));
			assertThat(line).startsWith("127.0.0.1 - - [");
			// Answered 503 at the cut-off (not dropped), and logged with the status it was sent
			assertThat(cut.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
			assertThat(line).contains("\"GET /sleep?ms=20000 HTTP/1.1\" 503 ");
			assertThat(app.stderr()).containsPattern(
					"Exit: drained 1 request in flight in \\d+ ms, 1 of them answered 503 at the graceful timeout");
		}
	}

	@Test
	void tenThousandWorkersAreRefusedInCheckModeWhereTheMemoryCannotHoldThem() {
		// The memory budget (issue 17) covers it: 10000 request threads of 1 MiB in 512 MiB
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:MaxRAM=512m")
			.env("WEB_CONCURRENCY", "10000")
			.env("TWELVEFACTOR_CHECK", "true")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output()).contains("stacks 10000 MiB (10000 request threads x 1 MiB)")
				.containsPattern("Configuration check failed\\. Memory budget does not fit: .* MiB over\\. ")
				.doesNotContain("Tomcat initialized");
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
