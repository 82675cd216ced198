package dev.twelvefactor.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gunicorn's request limits on the packaged app: a request at a limit passes, one past it
 * gets the status Gunicorn gives, with one access line each; and the same requests given to
 * a real Gunicorn get the same statuses.
 *
 * @author twelvefactor
 */
class RequestLimitsIntegrationTests {

	@Test
	void requestsPastGunicornsDefaultLimitsGetGunicornsStatusesAndOneAccessLineEach() {
		List<Case> cases = cases(4094, 100, 8190);
		try (SampleAppProcess app = SampleAppProcess.builder().start().awaitReady()) {
			assertThat(app.output()).contains("Limit request line: 4094 (default)", "Limit request fields: 100 (default)",
					"Limit request field size: 8190 (default)");
			assertStatusesAndAccessLines(app, cases);
		}
		try (GunicornProcess gunicorn = GunicornProcess.start(Map.of())) {
			assertGunicornStatuses(gunicorn, cases);
		}
	}

	@Test
	void limitsSetByVariableOrGunicornFlagAreThoseApplied() {
		List<Case> cases = cases(200, 10, 100);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_LIMIT_REQUEST_LINE", "200")
			.env("TWELVEFACTOR_LIMIT_REQUEST_FIELDS", "10")
			.env("GUNICORN_CMD_ARGS", "--limit-request-field_size 100")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Limit request line: 200 (TWELVEFACTOR_LIMIT_REQUEST_LINE)",
					"Limit request fields: 10 (TWELVEFACTOR_LIMIT_REQUEST_FIELDS)",
					"Limit request field size: 100 (GUNICORN_CMD_ARGS --limit-request-field_size)");
			assertStatusesAndAccessLines(app, cases);
		}
		try (GunicornProcess gunicorn = GunicornProcess.start(Map.of(), "--limit-request-line", "200",
				"--limit-request-fields", "10", "--limit-request-field_size", "100")) {
			assertGunicornStatuses(gunicorn, cases);
		}
	}

	@Test
	void aFieldLargerThanTomcatsDefaultHeadFitsWhenTheFieldLimitAllowsIt() {
		// Spring Boot's default request head is 8 KiB; a 16 KiB field fits once allowed
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_LIMIT_REQUEST_FIELD_SIZE", "16384")
			.start()
			.awaitReady()) {
			RawHttp.Response response = RawHttp.get("127.0.0.1", "127.0.0.1", app.port(), "/client",
					"X-Big: " + "a".repeat(16384 - 9));
			assertThat(response.status()).isEqualTo(200);
			response = RawHttp.get("127.0.0.1", "127.0.0.1", app.port(), "/client", "X-Big: " + "a".repeat(16384 - 8));
			assertThat(response.status()).isEqualTo(431);
		}
	}

	private static void assertStatusesAndAccessLines(SampleAppProcess app, List<Case> cases) {
		List<Integer> statuses = new ArrayList<>();
		for (Case request : cases) {
			RawHttp.Response response = request.send(app.port());
			assertThat(response.status()).as(request.name()).isEqualTo(request.status());
			if (request.status() != 200) {
				assertThat(response.headers()).as(request.name())
					.containsEntry("content-type", "application/problem+json")
					.containsEntry("connection", "close");
				assertThat(response.body()).as(request.name()).contains("\"status\":" + request.status(), request.reason());
			}
			statuses.add(request.status());
		}
		app.awaitOutput((output) -> app.stdout().lines().count() >= cases.size(), Duration.ofSeconds(15));
		// Each request, rejected or not, is access-logged once, in order
		List<Integer> logged = app.stdout().lines().map((line) -> Integer.parseInt(line.split("\" ")[1].split(" ")[0])).toList();
		assertThat(logged).isEqualTo(statuses);
	}

	private static void assertGunicornStatuses(GunicornProcess gunicorn, List<Case> cases) {
		// Gunicorn 21 and later answer 431 for the header limits; 20 answered 400
		boolean answers431 = GunicornProcess.isAtLeast(21, 0);
		for (Case request : cases) {
			int expected = (request.status() == 431 && !answers431) ? 400 : request.status();
			assertThat(request.send(gunicorn.port()).status()).as("Gunicorn: " + request.name()).isEqualTo(expected);
		}
	}

	private static List<Case> cases(int line, int fields, int fieldSize) {
		String prefix = "GET ";
		String suffix = " HTTP/1.1";
		String target = "/client?pad=";
		int padding = line - prefix.length() - suffix.length() - target.length();
		List<Case> cases = new ArrayList<>();
		cases.add(new Case("request line of " + line, target + "a".repeat(padding), List.of(), 200, ""));
		cases.add(new Case("request line of " + (line + 1), target + "a".repeat(padding + 1), List.of(), 400,
				"Request line is too large (" + (line + 1) + " > " + line + ")"));
		// Host and Connection count as fields
		cases.add(new Case(fields + " fields", "/client", fields(fields - 2), 200, ""));
		cases.add(new Case((fields + 1) + " fields", "/client", fields(fields - 1), 431,
				"Too many header fields (" + (fields + 1) + " > " + fields + ")"));
		// Name, ": ", value and line end
		cases.add(new Case("field of " + fieldSize, "/client", List.of("X-Big: " + "a".repeat(fieldSize - 9)), 200, ""));
		cases.add(new Case("field of " + (fieldSize + 1), "/client", List.of("X-Big: " + "a".repeat(fieldSize - 8)), 431,
				"Header field X-Big is too large (" + (fieldSize + 1) + " > " + fieldSize + ")"));
		return cases;
	}

	private static List<String> fields(int count) {
		List<String> fields = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			fields.add("X-Field-" + i + ": " + i);
		}
		return fields;
	}

	/**
	 * A request, and what the starter answers.
	 */
	private record Case(String name, String target, List<String> headers, int status, String reason) {

		RawHttp.Response send(int port) {
			return RawHttp.get("127.0.0.1", "127.0.0.1", port, this.target, this.headers.toArray(String[]::new));
		}

	}

}
