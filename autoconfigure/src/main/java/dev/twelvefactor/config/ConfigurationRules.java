package dev.twelvefactor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.cloud.CloudPlatform;

/**
 * The rules that settings must keep together: workers x threads at most 10000, a
 * certificate and its key set together and matching, a certificate valid now, CA
 * certificates only with a certificate to serve, a timeout that graceful shutdown can
 * wait for, and a stop that fits the platform's grace period. A setting that breaks a
 * rule is recorded as invalid and put back to its
 * default, as a value of its own would be.
 *
 * @author twelvefactor
 */
final class ConfigurationRules {

	private static final int MAX_REQUEST_THREADS = 10000;

	/**
	 * Types of a certificate's subject alternative names (RFC 5280, 4.2.1.6).
	 */
	private static final int DNS_NAME = 2;

	private static final int IP_ADDRESS = 7;

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
		checkCertificate(Instant.now());
		checkCaCertificates();
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
	 * Check the certificates served: each must be valid now, unless
	 * {@code allow-invalid-dates} says to start anyway; the server's own gets a warning
	 * when it expires within {@code expiry-warning}, when its key is weaker than clients
	 * and browsers accept (RSA or DSA under 2048 bits, EC under 256), or when clients
	 * would refuse it for its host names (see {@link #hostProblem(X509Certificate)}).
	 * @param now the time to check against
	 */
	void checkCertificate(Instant now) {
		TwelveFactorProperties.Ssl ssl = this.properties.getSsl();
		if (ssl.getCertfile() == null || ssl.getKeyfile() == null) {
			return;
		}
		Setting certfile = Setting.named("ssl.certfile");
		SettingSource source = source(certfile);
		List<X509Certificate> chain = PemFile.certificates(ssl.getCertfile());
		Setting allow = Setting.named("ssl.allow-invalid-dates");
		for (X509Certificate certificate : chain) {
			String problem = dateProblem(certificate, now);
			if (problem == null) {
				continue;
			}
			if (ssl.isAllowInvalidDates()) {
				this.warnings.add(source.writtenName() + ": " + problem + "; starting with it anyway, as "
						+ source(allow).writtenName() + "=true says");
				continue;
			}
			this.invalid.add(InvalidValue.of(certfile, source, Setting.display(ssl.getCertfile()), problem,
					"Renew the certificate in " + source.writtenName() + ", or set " + allow.canonicalVariable()
							+ "=true to start with it anyway."));
			ssl.setCertfile(null);
			ssl.setKeyfile(null);
			return;
		}
		if (chain.isEmpty()) {
			return;
		}
		X509Certificate server = chain.get(0);
		Instant notAfter = server.getNotAfter().toInstant();
		Duration left = Duration.between(now, notAfter);
		Duration warning = ssl.getExpiryWarning();
		if (!left.isNegative() && left.compareTo(warning) < 0) {
			this.warnings.add(source.writtenName() + ": the certificate " + subject(server) + " expires in "
					+ describe(left) + ", on " + notAfter + "; renew it (warned " + Setting.display(warning)
					+ " ahead, " + Setting.named("ssl.expiry-warning").canonicalVariable() + ")");
		}
		String weakKey = weakKey(server.getPublicKey());
		if (weakKey != null) {
			this.warnings.add(source.writtenName() + ": the certificate " + subject(server) + " has " + weakKey
					+ ", which clients may refuse and which does not protect the traffic for long; "
					+ "use RSA of 2048 bits or more, or EC of 256 bits or more");
		}
		String hostProblem = hostProblem(server);
		if (hostProblem != null) {
			this.warnings.add(source.writtenName() + ": the certificate " + subject(server) + " " + hostProblem);
		}
	}

	/**
	 * Return why clients would refuse the server's certificate for its host names, or
	 * {@code null}. Clients check the host they connect to against the certificate's
	 * subject alternative names (browsers, curl, Java and Go no longer read its common
	 * name): a certificate without one is refused whatever the host. When {@code bind}
	 * names an address or a host, the certificate must name it too: an IP address by
	 * itself (or, for a loopback address, {@code localhost}), a host name by a DNS name,
	 * wildcards included; a DNS name covers any other address, which a name may resolve
	 * to. Listening on every interface, the server cannot know by which name clients reach
	 * it (a load balancer's, a DNS name), and checks no more.
	 */
	private @Nullable String hostProblem(X509Certificate certificate) {
		List<String> names = new ArrayList<>();
		List<String> addresses = new ArrayList<>();
		for (List<?> alternative : subjectAlternativeNames(certificate)) {
			if (alternative.size() < 2 || !(alternative.get(0) instanceof Integer type)
					|| !(alternative.get(1) instanceof String value)) {
				continue;
			}
			if (type == DNS_NAME) {
				names.add(value.toLowerCase(Locale.ROOT));
			}
			else if (type == IP_ADDRESS) {
				addresses.add(value);
			}
		}
		if (names.isEmpty() && addresses.isEmpty()) {
			return "names no host in its subject alternative names, which clients check rather than its common "
					+ "name: they refuse it whatever host they connect to; issue it with subjectAltName=DNS:<host>";
		}
		Bind bind = this.properties.getBind();
		InetAddress listening = address(bind.host());
		if (listening == null || listening.isAnyLocalAddress() || names(bind, listening, names, addresses)) {
			return null;
		}
		List<String> named = new ArrayList<>();
		names.forEach((name) -> named.add("DNS:" + name));
		addresses.forEach((address) -> named.add("IP:" + address));
		String host = Values.escape(bind.host());
		return "does not name " + host + ", where " + source(Setting.named("bind")).writtenName()
				+ " listens (it names " + Values.escape(String.join(", ", named)) + "): clients that connect to "
				+ host + " refuse it";
	}

	private static boolean names(Bind bind, InetAddress listening, List<String> names, List<String> addresses) {
		if (!isIpAddress(bind.host())) {
			String host = bind.host().toLowerCase(Locale.ROOT);
			return names.stream().anyMatch((name) -> matches(name, host));
		}
		if (addresses.stream().anyMatch((address) -> listening.equals(address(address)))) {
			return true;
		}
		return (listening.isLoopbackAddress()) ? names.contains("localhost") : !names.isEmpty();
	}

	/**
	 * Return whether a DNS name of a certificate matches a host: equal, or a wildcard in
	 * its leftmost label standing for one label of the host.
	 */
	private static boolean matches(String name, String host) {
		if (name.startsWith("*.")) {
			int dot = host.indexOf('.');
			return dot > 0 && host.substring(dot).equals(name.substring(1));
		}
		return name.equals(host);
	}

	private static boolean isIpAddress(String host) {
		return host.indexOf(':') >= 0 || host.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
	}

	private static @Nullable InetAddress address(String host) {
		try {
			return InetAddress.getByName(host);
		}
		catch (UnknownHostException | SecurityException ex) {
			return null;
		}
	}

	private static Collection<List<?>> subjectAlternativeNames(X509Certificate certificate) {
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			return (names != null) ? names : List.of();
		}
		catch (CertificateParsingException ex) {
			return List.of();
		}
	}

	private static @Nullable String dateProblem(X509Certificate certificate, Instant now) {
		Instant notBefore = certificate.getNotBefore().toInstant();
		Instant notAfter = certificate.getNotAfter().toInstant();
		if (now.isBefore(notBefore)) {
			return "the certificate " + subject(certificate) + " is not valid yet: not before " + notBefore;
		}
		if (now.isAfter(notAfter)) {
			return "the certificate " + subject(certificate) + " expired on " + notAfter;
		}
		return null;
	}

	private static @Nullable String weakKey(PublicKey key) {
		if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
			return "an RSA key of " + rsa.getModulus().bitLength() + " bits";
		}
		if (key instanceof DSAPublicKey dsa && dsa.getParams() != null && dsa.getParams().getP().bitLength() < 2048) {
			return "a DSA key of " + dsa.getParams().getP().bitLength() + " bits";
		}
		if (key instanceof ECPublicKey ec && ec.getParams().getOrder().bitLength() < 256) {
			return "an EC key of " + ec.getParams().getOrder().bitLength() + " bits";
		}
		return null;
	}

	private static String subject(X509Certificate certificate) {
		return "\"" + Values.escape(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)) + "\"";
	}

	private static String describe(Duration left) {
		long days = left.toDays();
		if (days >= 1) {
			return (days == 1) ? "1 day" : days + " days";
		}
		long hours = left.toHours();
		return (hours == 1) ? "1 hour" : hours + " hours";
	}

	/**
	 * Client certificates are verified only over TLS: CA certificates without the
	 * server's certificate and key would start a server in the clear that checks nobody.
	 */
	private void checkCaCertificates() {
		TwelveFactorProperties.Ssl ssl = this.properties.getSsl();
		Setting caCerts = Setting.named("ssl.ca-certs");
		boolean pairReported = this.invalid.stream()
			.anyMatch((value) -> value.setting().name().equals("ssl.certfile")
					|| value.setting().name().equals("ssl.keyfile"));
		if (ssl.getCaCerts() == null || ssl.getCertfile() != null || pairReported) {
			return;
		}
		SettingSource source = source(caCerts);
		String certificate = ConventionalVariables.of(Setting.named("ssl.certfile"));
		String key = ConventionalVariables.of(Setting.named("ssl.keyfile"));
		this.invalid.add(InvalidValue.of(caCerts, source, Setting.display(ssl.getCaCerts()),
				"client certificates are verified only over HTTPS, which needs " + certificate + " and " + key,
				"Set " + certificate + " and " + key + " too, or unset " + source.writtenName() + "."));
		ssl.setCaCerts(null);
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
		Duration requestTimeout = this.properties.getTimeout();
		if (!requestTimeout.isZero() && requestTimeout.compareTo(BootProperties.MIN_CONNECTION_TIMEOUT) < 0) {
			this.warnings.add("Timeout " + Setting.display(requestTimeout) + " is shorter than "
					+ Setting.display(BootProperties.MIN_CONNECTION_TIMEOUT) + ": it is the request deadline, but the "
					+ "connection timeout stays at " + Setting.display(BootProperties.MIN_CONNECTION_TIMEOUT)
					+ ", so that clients have time to send their request");
		}
	}

	private SettingSource source(Setting setting) {
		SettingSource source = this.sources.get(setting);
		return (source != null) ? source : SettingSource.defaultValue("default");
	}

}
