package dev.twelvefactor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a setting names a readable PEM file of the expected kind.
 *
 * @author twelvefactor
 */
final class PemFile {

	private static final int MAX_SIZE = 1024 * 1024;

	private PemFile() {
	}

	static String certificate(String value) {
		return check(value, "-----BEGIN CERTIFICATE-----", "a PEM certificate");
	}

	static String privateKey(String value) {
		return check(value, "PRIVATE KEY-----", "a PEM private key");
	}

	private static String check(String value, String marker, String kind) {
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
		return value;
	}

}
