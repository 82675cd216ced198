package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonAccessLogFormat}.
 *
 * @author twelvefactor
 */
class JsonAccessLogFormatTests {

	private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	@Test
	void timeIsIsoInUtcWithMilliseconds() {
		assertThat(isoTime(0)).isEqualTo("1970-01-01T00:00:00.000Z");
		assertThat(isoTime(Instant.parse("2024-02-29T23:59:59.007Z").toEpochMilli()))
			.isEqualTo("2024-02-29T23:59:59.007Z");
		assertThat(isoTime(Instant.parse("2000-03-01T12:30:05.250Z").toEpochMilli()))
			.isEqualTo("2000-03-01T12:30:05.250Z");
	}

	@Test
	void timeAgreesWithJavaTimeOverFourCenturies() {
		SplittableRandom random = new SplittableRandom(42);
		long max = Instant.parse("2400-01-01T00:00:00Z").toEpochMilli();
		for (int i = 0; i < 100_000; i++) {
			long millis = random.nextLong(0, max);
			assertThat(isoTime(millis)).isEqualTo(ISO.format(Instant.ofEpochMilli(millis)));
		}
	}

	private static String isoTime(long millis) {
		CharArrayWriter out = new CharArrayWriter();
		JsonAccessLogFormat.appendIsoTime(millis, out);
		return out.toString();
	}

}
