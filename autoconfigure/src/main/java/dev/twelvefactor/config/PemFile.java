package dev.twelvefactor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

import org.springframework.boot.ssl.pem.PemContent;

/**
 * Checks that a setting names a readable PEM file of the expected kind.
 *
 * @author twelvefactor
 */
final class PemFile {

	private static final int MAX_SIZE = 1024 * 1024;

	private PemFile() {
	}

	/**
	 * Check that a value names a readable PEM file holding the given content.
	 * @param value the value, a file path
	 * @param content what the file must hold
	 * @return the file
	 * @throws InvalidValueException if it does not
	 */
	static Path check(String value, Pem.Content content) {
		if (content == Pem.Content.PRIVATE_KEY) {
			Path file = check(value, "PRIVATE KEY-----", "a PEM private key");
			try {
				PemContent.load(file).getPrivateKey();
			}
			catch (IOException | RuntimeException ex) {
				throw new InvalidValueException("the private key cannot be read (encrypted keys are not supported)");
			}
			return file;
		}
		Path file = check(value, "-----BEGIN CERTIFICATE-----", "a PEM certificate");
		try {
			PemContent.load(file).getCertificates();
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidValueException("the certificates cannot be read");
		}
		return file;
	}

	/**
	 * Return the certificates of a file that {@link #check(String, Pem.Content)} accepted.
	 * @param certificateFile the file
	 * @return its certificates, the server's first; none when it cannot be read
	 */
	static List<X509Certificate> certificates(String certificateFile) {
		try {
			return PemContent.load(Path.of(certificateFile)).getCertificates();
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

	/**
	 * Return whether the private key is the one of the first certificate of the chain, by
	 * signing with the one and verifying with the other.
	 * @param certificateFile the certificate chain
	 * @param keyFile the private key
	 * @return whether they are a pair
	 */
	static boolean matches(Path certificateFile, Path keyFile) {
		try {
			List<X509Certificate> certificates = PemContent.load(certificateFile).getCertificates();
			PrivateKey key = PemContent.load(keyFile).getPrivateKey();
			if (certificates.isEmpty() || key == null) {
				return false;
			}
			PublicKey publicKey = certificates.get(0).getPublicKey();
			String algorithm = switch (key.getAlgorithm()) {
				case "RSA" -> "SHA256withRSA";
				case "EC" -> "SHA256withECDSA";
				case "DSA" -> "SHA256withDSA";
				default -> key.getAlgorithm();
			};
			byte[] data = "twelvefactor".getBytes(StandardCharsets.US_ASCII);
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(key);
			signer.update(data);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(publicKey);
			verifier.update(data);
			return verifier.verify(signature);
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			return false;
		}
	}

	private static Path check(String value, String marker, String kind) {
		if (value.contains("-----BEGIN") || value.contains("PRIVATE KEY")) {
			// A common mistake with secrets mounted as variables: never echo key material
			throw new InvalidValueException("holds PEM content rather than the path of a file", true);
		}
		Path path = Values.path(value);
		if (!Files.isRegularFile(path)) {
			throw new InvalidValueException("the file does not exist or is not a regular file");
		}
		String content;
		try (InputStream input = Files.newInputStream(path)) {
			content = new String(input.readNBytes(MAX_SIZE), StandardCharsets.US_ASCII);
		}
		catch (IOException | SecurityException ex) {
			throw new InvalidValueException("the file cannot be read");
		}
		if (!content.contains(marker)) {
			throw new InvalidValueException("the file does not hold " + kind);
		}
		return path;
	}

}
