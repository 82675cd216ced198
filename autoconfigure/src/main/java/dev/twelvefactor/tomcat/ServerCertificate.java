package dev.twelvefactor.tomcat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.info.SslInfo;
import org.springframework.boot.info.SslInfo.CertificateChainInfo;
import org.springframework.boot.info.SslInfo.CertificateInfo;
import org.springframework.boot.ssl.SslBundles;

import dev.twelvefactor.config.CertificateExpiry;
import dev.twelvefactor.config.TwelveFactorProperties;

/**
 * The certificate the server presents, from {@code SSL_CERTFILE} and {@code SSL_KEYFILE}:
 * the starter's SSL bundle in Spring Boot's {@link SslBundles}, which Spring Boot reloads
 * when the files change and Tomcat then serves. Each reload is counted and logged, with
 * the new certificate's serial number and expiry.
 *
 * @author twelvefactor
 */
public class ServerCertificate {

	private static final Log logger = LogFactory.getLog(ServerCertificate.class);

	private final @Nullable SslBundles bundles;

	private final AtomicInteger reloads = new AtomicInteger();

	private volatile @Nullable Instant lastReload;

	/**
	 * Create an instance that follows the starter's bundle, if there is one.
	 * @param bundles Spring Boot's SSL bundles, or {@code null} when there are none
	 */
	public ServerCertificate(@Nullable SslBundles bundles) {
		this.bundles = bundles;
		if (bundles != null && isServed(bundles)) {
			bundles.addBundleUpdateHandler(TwelveFactorProperties.Ssl.BUNDLE, (bundle) -> reloaded());
		}
	}

	private static boolean isServed(SslBundles bundles) {
		return bundles.getBundleNames().contains(TwelveFactorProperties.Ssl.BUNDLE);
	}

	private void reloaded() {
		this.reloads.incrementAndGet();
		this.lastReload = Instant.now();
		Certificate certificate = current();
		if (certificate != null) {
			logger.info("SSL: certificate reloaded, serial " + certificate.serialNumber() + ", "
					+ certificate.subject() + ", expires " + CertificateExpiry.describe(certificate.notAfter(), Instant.now()));
		}
	}

	/**
	 * Return the certificate served now.
	 * @return the certificate, or {@code null} when the starter serves none
	 */
	public @Nullable Certificate current() {
		SslBundles bundles = this.bundles;
		if (bundles == null || !isServed(bundles)) {
			return null;
		}
		List<CertificateChainInfo> chains = new SslInfo(bundles).getBundle(TwelveFactorProperties.Ssl.BUNDLE)
			.getCertificateChains();
		if (chains.isEmpty() || chains.get(0).getCertificates().isEmpty()) {
			return null;
		}
		CertificateInfo leaf = chains.get(0).getCertificates().get(0);
		Instant notBefore = leaf.getValidityStarts();
		Instant notAfter = leaf.getValidityEnds();
		if (notBefore == null || notAfter == null) {
			return null;
		}
		return new Certificate(String.valueOf(leaf.getSubject()), String.valueOf(leaf.getSerialNumber()), notBefore,
				notAfter, this.reloads.get(), this.lastReload);
	}

	/**
	 * A certificate served.
	 *
	 * @param subject its subject's distinguished name
	 * @param serialNumber its serial number, in hexadecimal
	 * @param notBefore the start of its validity
	 * @param notAfter the end of its validity
	 * @param reloads how many times the certificate was reloaded since the start
	 * @param lastReload when it was last reloaded, or {@code null} if never
	 */
	public record Certificate(String subject, String serialNumber, Instant notBefore, Instant notAfter, int reloads,
			@Nullable Instant lastReload) {

	}

}
