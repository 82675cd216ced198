package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AccessLogEscaping}.
 *
 * @author twelvefactor
 */
class AccessLogEscapingTests {

	@Test
	void textEscapesQuotesBackslashesAndControlCharactersAsApacheDoes() {
		assertThat(text("a\"b\\c\n\r\t\b\u000b\u0000\u001b\u007f d"))
			.isEqualTo("a\\\"b\\\\c\\n\\r\\t\\b\\v\\x00\\x1b\\x7f d");
	}

	@Test
	void textWritesEachByteAboveAsciiAsHex() {
		// Tomcat decodes the request as ISO-8859-1: one character is one byte
		assertThat(text(latin1("caf\u00c3\u00a9 \u00ff"))).isEqualTo("caf\\xc3\\xa9 \\xff");
	}

	@Test
	void textWritesCharactersBeyondLatin1AsTheirUtf8Bytes() {
		assertThat(text("\u20ac \ud83d\ude00 \ud800")).isEqualTo("\\xe2\\x82\\xac \\xf0\\x9f\\x98\\x80 \\xef\\xbf\\xbd");
	}

	@Test
	void textLeavesPlainAsciiAlone() {
		String plain = "GET /a/b?c=d&e=f HTTP/1.1 Mozilla/5.0 (X11; Linux) ~!@#$%^&*()_+{}|:<>?[];',./`";
		assertThat(text(plain)).isEqualTo(plain);
	}

	@Test
	void textOfAnyCharacterIsPrintableAsciiWithoutABareQuote() {
		for (char c = 0; c < Character.MAX_VALUE; c++) {
			String escaped = text(String.valueOf(c));
			assertThat(escaped).matches("\\p{Print}+");
			assertThat(escaped.replace("\\\\", "").replace("\\\"", "")).doesNotContain("\"");
		}
	}

	@Test
	void textWriterEscapesEveryWayOfWriting() {
		CharArrayWriter line = new CharArrayWriter();
		CharArrayWriter writer = AccessLogEscaping.textWriter(line);
		writer.append("a\"b");
		writer.append('\n');
		writer.write("\\c".toCharArray(), 0, 2);
		writer.write(0x1b);
		writer.append("x\ry", 1, 2);
		assertThat(line.toString()).isEqualTo("a\\\"b\\n\\\\c\\x1b\\r");
	}

	@Test
	void jsonEscapesQuotesBackslashesAndControlCharacters() {
		assertThat(json("a\"b\\c\n\r\t\b\f\u0000\u001b\u007f d"))
			.isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001b\\u007f d\"");
	}

	@Test
	void jsonDecodesUtf8BytesAndReplacesBytesThatAreNotUtf8() {
		assertThat(parse(json(latin1("caf\u00c3\u00a9 \u00f0\u009f\u0098\u0080 \u00ff end"))))
			.isEqualTo("caf\u00e9 \ud83d\ude00 \ufffd end");
		// Overlong, surrogate, above U+10FFFF, truncated
		assertThat(parse(json(latin1("\u00c0\u00af|\u00ed\u00a0\u0080|\u00f4\u0090\u0080\u0080|\u00e2\u0082"))))
			.isEqualTo("\ufffd\ufffd|\ufffd\ufffd\ufffd|\ufffd\ufffd\ufffd\ufffd|\ufffd\ufffd");
	}

	@Test
	void jsonIsAsciiThatParsesBackToTheValue() {
		String hostile = "\",\"status\":999,\"x\":\"\\\u2028\r\n\u001b[31m\ud83d\ude00";
		String escaped = json(hostile);
		assertThat(escaped).matches("\\p{Print}+");
		assertThat(parse(escaped)).isEqualTo(hostile);
	}

	@Test
	void jsonOfAnyCharacterParses() {
		for (char c = 0; c < Character.MAX_VALUE; c++) {
			String escaped = json(String.valueOf(c));
			assertThat(escaped).matches("\\p{Print}+");
			assertThat(parse(escaped)).hasSize(1);
		}
	}

	@Test
	void jsonOfNullIsNull() {
		CharArrayWriter out = new CharArrayWriter();
		AccessLogEscaping.appendJson(null, out);
		assertThat(out.toString()).isEqualTo("null");
	}

	@Test
	void numbersAreWrittenInDecimal() {
		for (long value : new long[] { 0, 7, 10, 99, 100, 1_234_567_890_123L, Long.MAX_VALUE }) {
			CharArrayWriter out = new CharArrayWriter();
			AccessLogEscaping.appendNumber(value, out);
			assertThat(out.toString()).isEqualTo(Long.toString(value));
		}
	}

	private static String text(String value) {
		CharArrayWriter out = new CharArrayWriter();
		AccessLogEscaping.appendText(value, out);
		return out.toString();
	}

	private static String json(String value) {
		CharArrayWriter out = new CharArrayWriter();
		AccessLogEscaping.appendJson(value, out);
		return out.toString();
	}

	private static String parse(String json) {
		return JsonMapper.shared().readTree(json).asString();
	}

	/**
	 * Return a string as Tomcat would hold its bytes: one character per byte.
	 */
	private static String latin1(String value) {
		return new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
	}

}
