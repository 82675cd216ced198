package dev.twelvefactor.config;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * When the served certificate expires, as the startup report, the reload log line and the
 * endpoint say it: {@code 2027-01-31T12:00:00Z (in 62 days)}.
 *
 * @author twelvefactor
 */
public final class CertificateExpiry {

	private CertificateExpiry() {
	}

	/**
	 * Return the first certificate of a PEM file, the one served.
	 * @param file the PEM file
	 * @return the certificate, or {@code null} when the file holds none or cannot be read
	 */
	public static @Nullable X509Certificate read(String file) {
		List<X509Certificate> certificates = PemFile.certificates(file);
		return certificates.isEmpty() ? null : certificates.get(0);
	}

	/**
	 * Describe when a certificate expires, seen from now.
	 * @param notAfter the end of the certificate's validity
	 * @param now the time now
	 * @return the description, such as {@code 2027-01-31T12:00:00Z (in 62 days)}
	 */
	public static String describe(Instant notAfter, Instant now) {
		Duration left = Duration.between(now, notAfter);
		String when = notAfter.truncatedTo(ChronoUnit.SECONDS).toString();
		if (left.isNegative()) {
			return when + " (expired " + amount(left.negated()) + " ago)";
		}
		return when + " (in " + amount(left) + ")";
	}

	private static String amount(Duration duration) {
		if (duration.toDays() >= 2) {
			return duration.toDays() + " days";
		}
		if (duration.toHours() >= 2) {
			return duration.toHours() + " hours";
		}
		return Math.max(duration.toMinutes(), 0) + " minutes";
	}

}
