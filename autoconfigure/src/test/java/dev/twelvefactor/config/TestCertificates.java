package dev.twelvefactor.config;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generates PEM certificates and keys with the JDK's keytool, with the key and validity a
 * test asks for.
 *
 * @author twelvefactor
 */
final class TestCertificates {

	private TestCertificates() {
	}

	/**
	 * Generate a self-signed certificate for {@code localhost} (its subject alternative
	 * names {@code DNS:localhost} and {@code IP:127.0.0.1}) and its key as PEM files.
	 * @param directory where to write them
	 * @param name base name of the files
	 * @param keyAlgorithm {@code RSA} or {@code EC}
	 * @param keySize the key size in bits
	 * @param startDate when the validity starts, in keytool's form ({@code -10d}, {@code +2d}),
	 * or {@code null} for now
	 * @param validityDays for how many days the certificate is valid
	 * @return the certificate file and the key file
	 */
	static Path[] generate(Path directory, String name, String keyAlgorithm, int keySize, String startDate,
			int validityDays) throws Exception {
		return generate(directory, name, keyAlgorithm, keySize, startDate, validityDays,
				"dns:localhost,ip:127.0.0.1");
	}

	/**
	 * Generate a self-signed certificate with the given subject alternative names, and its
	 * key, as PEM files.
	 * @param directory where to write them
	 * @param name base name of the files
	 * @param keyAlgorithm {@code RSA} or {@code EC}
	 * @param keySize the key size in bits
	 * @param startDate when the validity starts, in keytool's form ({@code -10d}, {@code +2d}),
	 * or {@code null} for now
	 * @param validityDays for how many days the certificate is valid
	 * @param subjectAlternativeNames the names in keytool's form
	 * ({@code dns:localhost,ip:127.0.0.1}), or {@code null} for none
	 * @return the certificate file and the key file
	 */
	static Path[] generate(Path directory, String name, String keyAlgorithm, int keySize, String startDate,
			int validityDays, String subjectAlternativeNames) throws Exception {
		Path keystore = directory.resolve(name + ".p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		List<String> command = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg",
				keyAlgorithm, "-keysize", String.valueOf(keySize), "-dname", "CN=localhost", "-validity",
				String.valueOf(validityDays), "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass",
				"changeit"));
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
		PrivateKey key = (PrivateKey) store.getKey("server", "changeit".toCharArray());
		Path certificateFile = directory.resolve(name + "-cert.pem");
		Path keyFile = directory.resolve(name + "-key.pem");
		Files.writeString(certificateFile, pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
		Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
		return new Path[] { certificateFile, keyFile };
	}

	static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + base64(der) + "\n-----END " + type + "-----\n";
	}

	static String base64(byte[] der) {
		return Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
	}

}
