package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;

import org.jspecify.annotations.Nullable;

/**
 * Escaping of request values in access log lines, so that no request can forge or split a
 * line.
 * <p>
 * Text lines are escaped as Apache httpd's {@code mod_log_config} does: printable ASCII is
 * written as is, except {@code "} and {@code \} which get a backslash; backspace, newline,
 * carriage return, tab and vertical tab are written {@code \b}, {@code \n}, {@code \r},
 * {@code \t}, {@code \v}; every other byte is written {@code \xhh}. Tomcat decodes the
 * request line and the headers as ISO-8859-1, so each character up to U+00FF is one byte
 * of the request; a character above (only found in values that did not come from the
 * wire) is written as the {@code \xhh} escapes of its UTF-8 bytes.
 * <p>
 * JSON strings are escaped as RFC 8259 requires and are pure ASCII: bytes of the request
 * that form valid UTF-8 are decoded and written as {@code \}{@code uXXXX} escapes, and a
 * byte that is not part of valid UTF-8 becomes U+FFFD.
 *
 * @author twelvefactor
 */
final class AccessLogEscaping {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private static final int REPLACEMENT_CHARACTER = 0xFFFD;

	private AccessLogEscaping() {
	}

	/**
	 * Return a writer that escapes, as {@link #appendText(String, CharArrayWriter)} does,
	 * what is written to it and appends it to the given target. It lets Tomcat's own
	 * access log elements, which do not escape, write escaped values.
	 * @param target the line the escaped text is appended to
	 * @return the escaping writer
	 */
	static CharArrayWriter textWriter(CharArrayWriter target) {
		return new TextWriter(target);
	}

	/**
	 * Append a value to a text line, escaped; nothing when it is {@code null}.
	 * @param value the value
	 * @param out the line
	 */
	static void appendText(@Nullable String value, CharArrayWriter out) {
		if (value != null) {
			appendText(value, 0, value.length(), out);
		}
	}

	static void appendText(String value, int start, int end, CharArrayWriter out) {
		int unwritten = start;
		for (int i = start; i < end; i++) {
			char c = value.charAt(i);
			if (isPlain(c)) {
				continue;
			}
			if (i > unwritten) {
				out.write(value, unwritten, i - unwritten);
			}
			if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
				appendTextEscape(Character.toCodePoint(c, value.charAt(++i)), out);
			}
			else {
				appendTextEscape(c, out);
			}
			unwritten = i + 1;
		}
		if (end > unwritten) {
			out.write(value, unwritten, end - unwritten);
		}
	}

	private static boolean isPlain(char c) {
		return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
	}

	private static void appendTextEscape(int codePoint, CharArrayWriter out) {
		switch (codePoint) {
			case '"', '\\' -> appendEscape((char) codePoint, out);
			case '\b' -> appendEscape('b', out);
			case '\n' -> appendEscape('n', out);
			case '\r' -> appendEscape('r', out);
			case '\t' -> appendEscape('t', out);
			case 0x0B -> appendEscape('v', out);
			default -> {
				if (codePoint <= 0xFF) {
					appendHexByte(codePoint, out);
				}
				else {
					appendUtf8HexBytes(codePoint, out);
				}
			}
		}
	}

	private static void appendUtf8HexBytes(int codePoint, CharArrayWriter out) {
		int value = (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
				? REPLACEMENT_CHARACTER : codePoint;
		if (value < 0x800) {
			appendHexByte(0xC0 | (value >> 6), out);
		}
		else if (value < 0x10000) {
			appendHexByte(0xE0 | (value >> 12), out);
			appendHexByte(0x80 | ((value >> 6) & 0x3F), out);
		}
		else {
			appendHexByte(0xF0 | (value >> 18), out);
			appendHexByte(0x80 | ((value >> 12) & 0x3F), out);
			appendHexByte(0x80 | ((value >> 6) & 0x3F), out);
		}
		appendHexByte(0x80 | (value & 0x3F), out);
	}

	private static void appendEscape(char c, CharArrayWriter out) {
		out.write('\\');
		out.write(c);
	}

	private static void appendHexByte(int value, CharArrayWriter out) {
		out.write('\\');
		out.write('x');
		out.write(HEX[(value >> 4) & 0xF]);
		out.write(HEX[value & 0xF]);
	}

	/**
	 * Append a value to a JSON line as a string, or {@code null}.
	 * @param value the value, or {@code null}
	 * @param out the line
	 */
	static void appendJson(@Nullable String value, CharArrayWriter out) {
		if (value == null) {
			out.write("null", 0, 4);
			return;
		}
		out.write('"');
		appendJsonCharacters(value, out);
		out.write('"');
	}

	/**
	 * Append the characters of a value to a JSON string that the caller opens and closes.
	 * @param value the value
	 * @param out the line
	 */
	static void appendJsonCharacters(@Nullable String value, CharArrayWriter out) {
		if (value == null) {
			return;
		}
		int length = value.length();
		int unwritten = 0;
		int i = 0;
		while (i < length) {
			char c = value.charAt(i);
			if (isPlain(c)) {
				i++;
				continue;
			}
			if (i > unwritten) {
				out.write(value, unwritten, i - unwritten);
			}
			i = appendJsonEscape(value, i, out);
			unwritten = i;
		}
		if (length > unwritten) {
			out.write(value, unwritten, length - unwritten);
		}
	}

	private static int appendJsonEscape(String value, int index, CharArrayWriter out) {
		char c = value.charAt(index);
		switch (c) {
			case '"', '\\' -> appendEscape(c, out);
			case '\b' -> appendEscape('b', out);
			case '\f' -> appendEscape('f', out);
			case '\n' -> appendEscape('n', out);
			case '\r' -> appendEscape('r', out);
			case '\t' -> appendEscape('t', out);
			default -> {
				if (c < 0x80) {
					appendUnicodeEscape(c, out);
				}
				else if (c <= 0xFF) {
					// A byte of the request, which Tomcat decoded as ISO-8859-1
					int length = utf8SequenceLength(value, index);
					if (length == 0) {
						appendUnicodeEscape(REPLACEMENT_CHARACTER, out);
						return index + 1;
					}
					appendCodePoint(utf8CodePoint(value, index, length), out);
					return index + length;
				}
				else if (Character.isHighSurrogate(c) && index + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(index + 1))) {
					appendUnicodeEscape(c, out);
					appendUnicodeEscape(value.charAt(index + 1), out);
					return index + 2;
				}
				else {
					appendUnicodeEscape(Character.isSurrogate(c) ? REPLACEMENT_CHARACTER : c, out);
				}
			}
		}
		return index + 1;
	}

	/**
	 * Return the length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms,
	 * no surrogates, nothing above U+10FFFF) that starts at the given index, or 0.
	 */
	private static int utf8SequenceLength(String value, int index) {
		int lead = value.charAt(index);
		int length;
		int secondMin = 0x80;
		int secondMax = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			length = 2;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			length = 3;
			secondMin = (lead == 0xE0) ? 0xA0 : secondMin;
			secondMax = (lead == 0xED) ? 0x9F : secondMax;
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			length = 4;
			secondMin = (lead == 0xF0) ? 0x90 : secondMin;
			secondMax = (lead == 0xF4) ? 0x8F : secondMax;
		}
		else {
			return 0;
		}
		if (index + length > value.length()) {
			return 0;
		}
		char second = value.charAt(index + 1);
		if (second < secondMin || second > secondMax) {
			return 0;
		}
		for (int i = 2; i < length; i++) {
			char next = value.charAt(index + i);
			if (next < 0x80 || next > 0xBF) {
				return 0;
			}
		}
		return length;
	}

	private static int utf8CodePoint(String value, int index, int length) {
		int codePoint = value.charAt(index) & (0x7F >> length);
		for (int i = 1; i < length; i++) {
			codePoint = (codePoint << 6) | (value.charAt(index + i) & 0x3F);
		}
		return codePoint;
	}

	private static void appendCodePoint(int codePoint, CharArrayWriter out) {
		if (Character.isBmpCodePoint(codePoint)) {
			appendUnicodeEscape(codePoint, out);
		}
		else {
			appendUnicodeEscape(Character.highSurrogate(codePoint), out);
			appendUnicodeEscape(Character.lowSurrogate(codePoint), out);
		}
	}

	private static void appendUnicodeEscape(int c, CharArrayWriter out) {
		out.write('\\');
		out.write('u');
		out.write(HEX[(c >> 12) & 0xF]);
		out.write(HEX[(c >> 8) & 0xF]);
		out.write(HEX[(c >> 4) & 0xF]);
		out.write(HEX[c & 0xF]);
	}

	/**
	 * Append a non-negative whole number without creating a string.
	 * @param value the number
	 * @param out the line
	 */
	static void appendNumber(long value, CharArrayWriter out) {
		long divisor = 1;
		while (value / divisor >= 10) {
			divisor *= 10;
		}
		while (divisor > 0) {
			out.write((char) ('0' + (value / divisor) % 10));
			divisor /= 10;
		}
	}

	/**
	 * A writer that escapes what it is given into a target line. Every way of writing to a
	 * {@link CharArrayWriter} ends in one of the three methods overridden here.
	 */
	private static final class TextWriter extends CharArrayWriter {

		private final CharArrayWriter target;

		TextWriter(CharArrayWriter target) {
			super(0);
			this.target = target;
		}

		@Override
		public void write(int c) {
			char character = (char) c;
			if (isPlain(character)) {
				this.target.write(character);
			}
			else {
				appendTextEscape(character, this.target);
			}
		}

		@Override
		public void write(char[] characters, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				write(characters[i]);
			}
		}

		@Override
		public void write(String value, int offset, int length) {
			appendText(value, offset, offset + length, this.target);
		}

	}

}
