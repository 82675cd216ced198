package dev.twelvefactor.actuate;

import java.util.List;
import java.util.Locale;

/**
 * Tells whether a variable or property name holds a secret, by the same rule as Spring
 * Boot's {@code SanitizingFunction#ifLikelyCredential()}: a name that ends with
 * {@code password}, {@code secret}, {@code token} or {@code key}, or contains
 * {@code credentials}, in any case. {@code SSL_KEYFILE} is not one: it names a path.
 *
 * @author twelvefactor
 */
final class SensitiveNames {

	static final String MASK = "******";

	private static final List<String> SUFFIXES = List.of("password", "secret", "token", "key");

	private SensitiveNames() {
	}

	static boolean isSensitive(String name) {
		String lowerCaseName = name.toLowerCase(Locale.ROOT);
		return lowerCaseName.contains("credentials") || SUFFIXES.stream().anyMatch(lowerCaseName::endsWith);
	}

}
