package dev.twelvefactor.config;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Values}: what is trimmed, and how values are shown.
 *
 * @author twelvefactor
 */
class ValuesTests {

	static Stream<Arguments> spaceLikeCharacters() {
		return Stream.of(Arguments.of("4\u00a0", "no-break space", "4\\u00a0"),
				Arguments.of("\u200b4", "zero-width space", "\\u200b4"),
				Arguments.of("4\u3000", "ideographic space", "4\\u3000"),
				Arguments.of("4\u2028", "line separator", "4\\u2028"),
				Arguments.of("4\u001f", "unit separator", "4\\u001f"),
				Arguments.of("4\u2007", "figure space", "4\\u2007"));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("spaceLikeCharacters")
	void spaceLikeCharactersOtherThanAsciiWhitespaceAreRefusedAndShownEscaped(String value, String kind,
			String shown) {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", value)
			.variable("GUNICORN_TIMEOUT", value)
			.resolve();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::describe)
			.satisfiesExactly((workers) -> assertThat(workers).startsWith("WEB_CONCURRENCY=\"" + shown + "\""),
					(timeout) -> assertThat(timeout).startsWith("GUNICORN_TIMEOUT=\"" + shown + "\""));
	}

	@Test
	void asciiWhitespaceIsTrimmed() {
		assertThat(Values.trim(" \t\r\n\f\u000b7 \t")).isEqualTo("7");
		EffectiveConfiguration configuration = TestEnvironments.create().variable("WEB_CONCURRENCY", "\t7 \n").resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(7));
	}

	@Test
	void springBootPropertyOverriddenIsShownEscapedAndMaskedInTheReport() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_BIND", ":9000")
			.variable("SERVER_PORT", "80\u001b[31m80\n")
			.variable("SSL_CERTFILE", "")
			.resolve();
		assertThat(configuration.get("bind").describeSource())
			.isEqualTo("TWELVEFACTOR_BIND; overrides server.port=80\\u001b[31m80\\u000a");
		SpringProperty secret = new SpringProperty("server.ssl.certificate-private-key",
				"-----BEGIN PRIVATE KEY-----\nMIIE", SettingSource.defaultValue("default"), true);
		assertThat(secret).hasToString("overrides server.ssl.certificate-private-key=" + SensitiveNames.MASK);
	}

}
