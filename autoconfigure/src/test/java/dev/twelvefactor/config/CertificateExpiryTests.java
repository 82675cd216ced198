package dev.twelvefactor.config;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CertificateExpiry}.
 *
 * @author twelvefactor
 */
class CertificateExpiryTests {

	private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

	@Test
	void expiryIsDescribedWithTheTimeLeftOrPast() {
		assertThat(CertificateExpiry.describe(NOW.plus(Duration.ofDays(62)), NOW))
			.isEqualTo("2027-01-31T12:00:00Z (in 62 days)");
		assertThat(CertificateExpiry.describe(NOW.plus(Duration.ofHours(5)), NOW))
			.isEqualTo("2026-11-30T17:00:00Z (in 5 hours)");
		assertThat(CertificateExpiry.describe(NOW.minus(Duration.ofDays(3)), NOW))
			.isEqualTo("2026-11-27T12:00:00Z (expired 3 days ago)");
	}

}
