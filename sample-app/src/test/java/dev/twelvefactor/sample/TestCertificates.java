package dev.twelvefactor.sample;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generates self-signed PEM certificates and keys with the JDK's keytool.
 *
 * @author twelvefactor
 */
final class TestCertificates {

	private TestCertificates() {
	}

	/**
	 * Generate a certificate and its key as PEM files.
	 * @param directory where to write them
	 * @param name base name of the files
	 * @return the certificate file and the key file
	 */
	static Path[] generate(Path directory, String name) throws Exception {
		return generate(directory, name, 2048, null, 90);
	}

	/**
	 * Generate a certificate valid for the given days, and its key, as PEM files.
	 * @param directory where to write them
	 * @param name base name of the files
	 * @param validityDays how many days the certificate is valid
	 * @return the certificate file and the key file
	 */
	static Path[] generate(Path directory, String name, int validityDays) throws Exception {
		return generate(directory, name, 2048, null, validityDays);
	}

	/**
	 * Generate a certificate with an RSA key of the given size and the given validity,
	 * and its key, as PEM files.
	 * @param directory where to write them
	 * @param name base name of the files
	 * @param keySize the RSA key size in bits
	 * @param startDate when the validity starts, in keytool's form ({@code -10d},
	 * {@code +2d}), or {@code null} for now
	 * @param validityDays for how many days the certificate is valid
	 * @return the certificate file and the key file
	 */
	static Path[] generate(Path directory, String name, int keySize, String startDate, int validityDays)
			throws Exception {
		return generate(directory, name, keySize, startDate, validityDays, "dns:localhost,ip:127.0.0.1");
	}

	/**
	 * Generate a certificate with an RSA key of the given size, the given validity and the
	 * given subject alternative names, and its key, as PEM files.
	 * @param directory where to write them
	 * @param name base name of the files
	 * @param keySize the RSA key size in bits
	 * @param startDate when the validity starts, in keytool's form ({@code -10d},
	 * {@code +2d}), or {@code null} for now
	 * @param validityDays for how many days the certificate is valid
	 * @param subjectAlternativeNames the names in keytool's form
	 * ({@code dns:localhost,ip:127.0.0.1}), or {@code null} for none
	 * @return the certificate file and the key file
	 */
	static Path[] generate(Path directory, String name, int keySize, String startDate, int validityDays,
			String subjectAlternativeNames) throws Exception {
		Path keystore = directory.resolve(name + ".p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		List<String> command = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
				"-keysize", String.valueOf(keySize), "-dname", "CN=localhost", "-validity", String.valueOf(validityDays),
				"-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"));
		if (startDate != null) {
			command.addAll(List.of("-startdate", startDate));
		}
		if (subjectAlternativeNames != null) {
			command.addAll(List.of("-ext", "SAN=" + subjectAlternativeNames));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream input = Files.newInputStream(keystore)) {
			store.load(input, "changeit".toCharArray());
		}
		Certificate certificate = store.getCertificate("server");
		PrivateKey key = (PrivateKey) store.getKey("server", "changeit".toCharArray());
		Path certificateFile = directory.resolve(name + "-cert.pem");
		Path keyFile = directory.resolve(name + "-key.pem");
		Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
		Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
		return new Path[] { certificateFile, keyFile };
	}

	/**
	 * Return an SSL context that presents the certificate generated under the given name
	 * and trusts any server.
	 * @param directory where the certificate was generated
	 * @param name base name of the files
	 * @return the SSL context
	 */
	static SSLContext clientContext(Path directory, String name) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream input = Files.newInputStream(directory.resolve(name + ".p12"))) {
			store.load(input, "changeit".toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory
			.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, "changeit".toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), new TrustManager[] { TRUST_ALL }, null);
		return context;
	}

	/**
	 * Return an SSL context that presents no certificate and trusts any server.
	 * @return the SSL context
	 */
	static SSLContext trustingAnyServer() throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { TRUST_ALL }, null);
		return context;
	}

	/**
	 * Trusts any server certificate: the tests check the server's TLS, not its identity.
	 */
	private static final X509TrustManager TRUST_ALL = new X509TrustManager() {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	};

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
