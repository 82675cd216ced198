package dev.twelvefactor.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.cloud.CloudPlatform;

/**
 * The rules that settings must keep together: workers x threads at most 10000, a
 * certificate and its key set together and matching, and not about to expire, a timeout
 * that graceful shutdown can wait for, and a stop that fits the platform's grace period.
 * A setting that breaks a rule is recorded as invalid and put back to its default, as a
 * value of its own would be.
 *
 * @author twelvefactor
 */
final class ConfigurationRules {

	private static final int MAX_REQUEST_THREADS = 10000;

	private static final Map<CloudPlatform, Duration> GRACE_PERIODS = Map.of(CloudPlatform.CLOUD_FOUNDRY,
			Duration.ofSeconds(10), CloudPlatform.SAP, Duration.ofSeconds(10), CloudPlatform.HEROKU,
			Duration.ofSeconds(30));

	private static final Map<CloudPlatform, String> PLATFORM_NAMES = Map.of(CloudPlatform.CLOUD_FOUNDRY,
			"Cloud Foundry", CloudPlatform.SAP, "SAP BTP", CloudPlatform.HEROKU, "Heroku");

	private final TwelveFactorProperties properties;

	private final Map<Setting, SettingSource> sources;

	private final List<InvalidValue> invalid;

	private final List<String> warnings;

	ConfigurationRules(TwelveFactorProperties properties, Map<Setting, SettingSource> sources,
			List<InvalidValue> invalid, List<String> warnings) {
		this.properties = properties;
		this.sources = sources;
		this.invalid = invalid;
		this.warnings = warnings;
	}

	void check(@Nullable CloudPlatform platform) {
		checkRequestThreads();
		checkCertificateAndKey();
		checkCertificateExpiry();
		checkTimeouts();
		checkQueueWait();
		checkGracePeriod(platform);
	}

	/**
	 * Warn when the stop takes longer than the platform waits between SIGTERM and SIGKILL,
	 * where the platform does not let the application choose: Cloud Foundry (and SAP BTP on
	 * it) waits 10 seconds, Heroku 30. Kubernetes' grace period is the pod's own, which the
	 * application cannot see.
	 */
	private void checkGracePeriod(@Nullable CloudPlatform platform) {
		Duration gracePeriod = (platform != null) ? GRACE_PERIODS.get(platform) : null;
		Duration drainDelay = this.properties.getDrainDelay();
		if (gracePeriod == null || drainDelay == null) {
			return;
		}
		Duration stop = drainDelay.plus(this.properties.getGracefulTimeout());
		if (stop.compareTo(gracePeriod) > 0) {
			this.warnings.add("Drain delay " + Setting.display(drainDelay) + " + graceful timeout "
					+ Setting.display(this.properties.getGracefulTimeout()) + " = " + Setting.display(stop)
					+ " is longer than the " + Setting.display(gracePeriod) + " that "
					+ PLATFORM_NAMES.get(platform)
					+ " waits between SIGTERM and SIGKILL: requests still running then are cut off");
		}
	}

	private void checkQueueWait() {
		Setting maxQueueWait = Setting.named("max-queue-wait");
		Duration timeout = this.properties.getTimeout();
		Duration wait = this.properties.getMaxQueueWait();
		if (wait != null && !timeout.isZero() && wait.compareTo(timeout) > 0) {
			SettingSource source = source(maxQueueWait);
			this.invalid.add(InvalidValue.of(maxQueueWait, source, Setting.display(wait),
					"longer than the timeout " + Setting.display(timeout)
							+ ", which the wait for admission counts against",
					"Set " + source.writtenName() + " to at most the timeout, or unset it to use half the timeout."));
		}
	}

	private void checkRequestThreads() {
		Workers workers = this.properties.getWorkers();
		int most = (workers == null || workers.isAuto()) ? this.properties.getMaxWorkers() : workers.fixed();
		int requestThreads = most * this.properties.getThreads();
		if (requestThreads <= MAX_REQUEST_THREADS) {
			return;
		}
		// Workers are at most 10000 on their own: more threads than one were chosen
		Setting threads = Setting.named("threads");
		this.invalid.add(InvalidValue.of(threads, source(threads), String.valueOf(this.properties.getThreads()),
				"workers x threads is " + requestThreads + ", more than " + MAX_REQUEST_THREADS,
				"Lower the workers or the threads so that workers x threads is at most " + MAX_REQUEST_THREADS + "."));
		this.properties.setThreads(1);
	}

	private void checkCertificateAndKey() {
		Setting certfile = Setting.named("ssl.certfile");
		Setting keyfile = Setting.named("ssl.keyfile");
		TwelveFactorProperties.Ssl ssl = this.properties.getSsl();
		if (ssl.getCertfile() != null && ssl.getKeyfile() == null) {
			requirePair(certfile, keyfile);
		}
		else if (ssl.getKeyfile() != null && ssl.getCertfile() == null) {
			requirePair(keyfile, certfile);
		}
		else if (ssl.getCertfile() != null && ssl.getKeyfile() != null
				&& !PemFile.matches(Path.of(ssl.getCertfile()), Path.of(ssl.getKeyfile()))) {
			String certificateName = source(certfile).writtenName();
			SettingSource key = source(keyfile);
			this.invalid.add(InvalidValue.of(keyfile, key, Setting.display(ssl.getKeyfile()),
					"not the private key of the certificate in " + certificateName,
					"Set " + key.writtenName() + " to the private key of that certificate."));
			ssl.setCertfile(null);
			ssl.setKeyfile(null);
		}
	}

	/**
	 * Warn when the certificate served expires within the window of
	 * {@code ssl.expiry-warning-days}, or has expired: the start goes on, since a renewed
	 * certificate is served as soon as its files change.
	 */
	private void checkCertificateExpiry() {
		TwelveFactorProperties.Ssl ssl = this.properties.getSsl();
		if (ssl.getCertfile() == null || ssl.getKeyfile() == null) {
			return;
		}
		X509Certificate certificate = CertificateExpiry.read(ssl.getCertfile());
		Instant now = Instant.now();
		if (certificate == null
				|| !CertificateExpiry.isWithin(certificate.getNotAfter().toInstant(), now, ssl.getExpiryWarningDays())) {
			return;
		}
		Instant notAfter = certificate.getNotAfter().toInstant();
		Setting window = Setting.named("ssl.expiry-warning-days");
		String windowName = this.sources.containsKey(window) ? source(window).writtenName()
				: window.canonicalVariable();
		this.warnings.add("The certificate in " + source(Setting.named("ssl.certfile")).writtenName() + " ("
				+ certificate.getSubjectX500Principal().getName() + ", serial "
				+ certificate.getSerialNumber().toString(16) + ") " + (notAfter.isBefore(now) ? "expired " : "expires ")
				+ CertificateExpiry.describe(notAfter, now) + ", within the "
				+ ssl.getExpiryWarningDays() + " days of " + windowName
				+ ": renew it; the renewed files are served without a restart");
	}

	/**
	 * Record the missing half of a certificate and key pair, unless its own value was
	 * already found invalid, and drop the half that was given: it serves nothing alone.
	 */
	private void requirePair(Setting present, Setting required) {
		String givenName = source(present).writtenName();
		boolean reported = this.invalid.stream().anyMatch((value) -> value.setting() == required);
		if (!reported) {
			String presentWord = lastWord(present);
			String requiredWord = lastWord(required);
			String requiredName = givenName.replace(presentWord.toUpperCase(Locale.ROOT), requiredWord.toUpperCase(Locale.ROOT))
				.replace(presentWord, requiredWord);
			this.invalid.add(new InvalidValue(required, requiredName, null, "required when " + givenName + " is set",
					"Set " + requiredName + " to the matching PEM file, or unset " + givenName + "."));
		}
		present.setValue(this.properties, null);
		this.sources.remove(present);
	}

	private static String lastWord(Setting setting) {
		return setting.name().substring(setting.name().lastIndexOf('.') + 1);
	}

	private void checkTimeouts() {
		// The defaults (60s and 30s) are in this relation too: warn only about a choice the user made
		Setting timeout = Setting.named("timeout");
		Setting graceful = Setting.named("graceful-timeout");
		boolean chosen = this.sources.containsKey(timeout) || this.sources.containsKey(graceful);
		if (chosen && this.properties.getTimeout().compareTo(this.properties.getGracefulTimeout()) > 0) {
			this.warnings.add("Timeout " + Setting.display(this.properties.getTimeout())
					+ " is longer than the graceful timeout " + Setting.display(this.properties.getGracefulTimeout())
					+ ": requests still running at shutdown may be cut off");
		}
	}

	private SettingSource source(Setting setting) {
		SettingSource source = this.sources.get(setting);
		return (source != null) ? source : SettingSource.defaultValue("default");
	}

}
