package dev.twelvefactor.sample;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
		Path keystore = directory.resolve(name + ".p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
				"-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity",
				"2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"))
			.redirectErrorStream(true)
			.start();
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

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
