package dev.twelvefactor.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every variable the starter reads, given each kind of hostile or careless value, in the
 * packaged app: a refused value stops the start naming the variable, with no stack trace
 * and a non-zero exit; an accepted one is what the startup report shows.
 * <p>
 * All variables get the same kind of value in one start, since the failure report lists
 * every invalid value at once: one process per kind and naming scheme, not per variable.
 *
 * @author twelvefactor
 */
class HostileValueIntegrationTests {

	private static final String TEN_KILOBYTES = "a".repeat(10 * 1024);

	/**
	 * A variable, its kind of value, and a valid value to surround with whitespace.
	 */
	private record Variable(String conventional, String canonical, Type type, String valid) {
	}

	private enum Type {

		PORT, WHOLE_NUMBER, DURATION, WORD, BIND, PATH, REGEX, FORMAT, PEM

	}

	private static final List<Variable> VARIABLES = List.of(
			new Variable("PORT", "TWELVEFACTOR_BIND", Type.PORT, null),
			new Variable("WEB_CONCURRENCY", "TWELVEFACTOR_WORKERS", Type.WHOLE_NUMBER, "7"),
			new Variable(null, "TWELVEFACTOR_THREADS", Type.WHOLE_NUMBER, "1"),
			new Variable("GUNICORN_TIMEOUT", "TWELVEFACTOR_TIMEOUT", Type.DURATION, "20"),
			new Variable(null, "TWELVEFACTOR_GRACEFUL_TIMEOUT", Type.DURATION, "25"),
			new Variable(null, "TWELVEFACTOR_KEEP_ALIVE", Type.DURATION, "15"),
			new Variable(null, "TWELVEFACTOR_BACKLOG", Type.WHOLE_NUMBER, "50"),
			new Variable("LOG_LEVEL", "TWELVEFACTOR_LOG_LEVEL", Type.WORD, "warning"),
			new Variable(null, "TWELVEFACTOR_ACCESS_LOG", Type.PATH, "stdout"),
			new Variable(null, "TWELVEFACTOR_ACCESS_LOG_FORMAT", Type.FORMAT, "json"),
			new Variable(null, "TWELVEFACTOR_ACCESS_LOG_EXCLUDE", Type.REGEX, "/actuator/.*"),
			new Variable(null, "TWELVEFACTOR_ERROR_LOG", Type.WORD, "stderr"),
			new Variable("SSL_CERTFILE", "TWELVEFACTOR_SSL_CERTFILE", Type.PEM, null),
			new Variable("SSL_KEYFILE", "TWELVEFACTOR_SSL_KEYFILE", Type.PEM, null),
			new Variable("SSL_CA_CERTS", "TWELVEFACTOR_SSL_CA_CERTS", Type.PEM, null),
			new Variable(null, "TWELVEFACTOR_ON_INVALID", Type.WORD, "fail"),
			new Variable(null, "TWELVEFACTOR_CHECK", Type.WORD, "false"));

	static Stream<Arguments> hostileValues() {
		Map<String, String> kinds = new LinkedHashMap<>();
		kinds.put("negative", "-1");
		kinds.put("zero", "0");
		kinds.put("non-numeric", "abc");
		kinds.put("decimal", "1.5");
		kinds.put("overflowing", "99999999999999999999");
		kinds.put("non-ASCII digits", "\u0663\u0660");
		kinds.put("shell metacharacters", "$(touch pwned);`id`|&>x");
		kinds.put("hexadecimal", "0x10");
		kinds.put("exponent", "1e3");
		kinds.put("10 kB", TEN_KILOBYTES);
		kinds.put("unknown word", "sometimes");
		List<Arguments> arguments = new ArrayList<>();
		kinds.forEach((kind, value) -> {
			arguments.add(Arguments.of(kind, value, true));
			arguments.add(Arguments.of(kind, value, false));
		});
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} ({2})")
	@MethodSource("hostileValues")
	void hostileValuesAreRefusedNamingTheVariableOrAcceptedAsTheSpecSays(String kind, String value,
			boolean conventional, @TempDir Path workingDirectory) {
		SampleAppProcess.Builder builder = SampleAppProcess.builder().port(8000).in(workingDirectory);
		List<String> refused = new ArrayList<>();
		for (Variable variable : VARIABLES) {
			String name = (conventional && variable.conventional() != null) ? variable.conventional()
					: variable.canonical();
			if (conventional && variable.conventional() == null) {
				continue;
			}
			builder.env(name, value);
			if (!accepts(variable.type(), value)) {
				refused.add(name);
			}
		}
		try (SampleAppProcess app = builder.start()) {
			int exit = app.awaitExit(SampleAppProcess.STARTUP);
			String output = app.output();
			assertThat(exit).as(output).isNotZero();
			assertThat(output).containsOnlyOnce("APPLICATION FAILED TO START")
				.contains("twelvefactor found " + refused.size() + " invalid setting")
				.doesNotContain("\tat ")
				.doesNotContain("Exception")
				.doesNotContain("Tomcat initialized");
			for (String name : refused) {
				// The private key's value is never shown: it may be the key itself
				assertThat(output).contains("    " + name + (name.endsWith("SSL_KEYFILE") ? "=(value hidden): " : "=\""));
			}
			assertThat(output).doesNotContain(TEN_KILOBYTES.substring(0, 200));
			assertThat(workingDirectory.resolve("pwned")).doesNotExist();
		}
	}

	@ParameterizedTest(name = "conventional names: {0}")
	@ValueSource(booleans = { true, false })
	void surroundingWhitespaceIsTrimmedAndTheReportShowsTheTrimmedValue(boolean conventional,
			@TempDir Path workingDirectory) throws Exception {
		int port = SampleAppProcess.freePort();
		SampleAppProcess.Builder builder = SampleAppProcess.builder().port(port).in(workingDirectory);
		builder.env(conventional ? "PORT" : "TWELVEFACTOR_BIND", conventional ? " " + port + "\t" : " :" + port + " ");
		for (Variable variable : VARIABLES) {
			if (variable.valid() != null && (!conventional || variable.conventional() != null)) {
				builder.env(conventional ? variable.conventional() : variable.canonical(), " " + variable.valid() + "\t");
			}
		}
		try (SampleAppProcess app = builder.start().awaitReady()) {
			String output = app.output();
			assertThat(output).contains("Bind: 0.0.0.0:" + port + " (" + (conventional ? "PORT" : "TWELVEFACTOR_BIND"))
				.contains("Workers: 7 (")
				.contains("Timeout: 20s (")
				.contains("Log level: warn (");
			if (!conventional) {
				assertThat(output).contains("Threads: 1 (TWELVEFACTOR_THREADS)")
					.contains("Graceful timeout: 25s (TWELVEFACTOR_GRACEFUL_TIMEOUT)")
					.contains("Keep-alive: 15s (TWELVEFACTOR_KEEP_ALIVE)")
					.contains("Backlog: 50 (TWELVEFACTOR_BACKLOG)")
					.contains("Access log: stdout, json, excluding /actuator/.*")
					.contains("Error log: stderr (TWELVEFACTOR_ERROR_LOG)")
					.contains("On invalid: fail (TWELVEFACTOR_ON_INVALID)");
			}
			assertThat(app.get("/").statusCode()).isEqualTo(200);
		}
		assertThat(Files.list(workingDirectory)).isEmpty();
	}

	/**
	 * What the specification accepts of each kind of value, by the type of the variable.
	 */
	private static boolean accepts(Type type, String value) {
		return switch (type) {
			// 1 to 65535, plain ASCII digits
			case PORT -> false;
			case WHOLE_NUMBER -> false;
			// 0 is a valid duration (it turns the deadline off; Tomcat's keep-alive of 0)
			case DURATION -> value.equals("0");
			case WORD, BIND, FORMAT -> false;
			// Anything but '-', 'stdout' and 'off' is a file path, appended to
			case PATH -> value.length() < 255;
			// Any valid regular expression up to 1000 characters
			case REGEX -> value.length() <= 1000;
			// No such file
			case PEM -> false;
		};
	}

}
