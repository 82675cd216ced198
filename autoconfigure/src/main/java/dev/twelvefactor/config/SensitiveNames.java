package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells whether a variable or property name holds a secret, and masks the secrets that a
 * value carries in itself. The rule the startup report, the failure reports, the
 * {@code twelvefactor} endpoint and the actuator's {@code env} and {@code configprops}
 * share.
 * <p>
 * A name holds a secret when, in any case, it ends with {@code password}, {@code passwd},
 * {@code passphrase}, {@code secret}, {@code token} or {@code key} (Spring Boot's
 * {@code SanitizingFunction#ifLikelyCredential()}), contains {@code credentials}, or has
 * among its words (split at {@code _ . -}, other punctuation and camel case) one of the
 * words real deployments use for credentials: {@code pass}, {@code pwd}, {@code pw},
 * {@code auth}, {@code pat} (a personal access token), {@code dsn} (Sentry's, which holds
 * its key), {@code key}, {@code keys}, {@code secrets}, {@code tokens}, {@code jwt},
 * {@code bearer}, {@code creds}. {@code SSL_KEYFILE} is not one: it names a path.
 * <p>
 * A value holds a secret, whatever its name, where it has the user information of a URI
 * ({@code amqp://user:password@host}), a {@code name=value} (or {@code name: value},
 * {@code -Dname=value}, {@code "name":"value"}) pair whose name holds a secret, or a PEM
 * private key.
 *
 * @author twelvefactor
 */
public final class SensitiveNames {

	/**
	 * What a secret is shown as.
	 */
	public static final String MASK = "******";

	private static final List<String> SUFFIXES = List.of("password", "passwd", "passphrase", "secret", "token",
			"key");

	private static final Set<String> WORDS = Set.of("pass", "pwd", "pw", "passcode", "auth", "pat", "dsn", "key",
			"keys", "secrets", "tokens", "jwt", "bearer", "creds", "credential", "apikey", "privatekey");

	private static final Pattern WORD_BOUNDARY = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");

	/**
	 * A URI's scheme and its user information, up to the last {@code @} of its authority.
	 */
	private static final Pattern URI_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#\\s]*)@");

	private static final Pattern NAMED_VALUE = Pattern
		.compile("([A-Za-z0-9_.\\-]+)([\"']?\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;&,\"'}]+)");

	private SensitiveNames() {
	}

	/**
	 * Return whether a variable or property name looks like that of a secret.
	 * @param name the name, in any case and form
	 * @return whether its value should never be shown
	 */
	public static boolean isSensitive(String name) {
		String lowerCase = name.toLowerCase(Locale.ROOT);
		String letters = lowerCase.replaceAll("[^a-z0-9]", "");
		if (lowerCase.contains("credentials") || SUFFIXES.stream().anyMatch(letters::endsWith)) {
			return true;
		}
		for (String word : words(name)) {
			if (WORDS.contains(word)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> words(String name) {
		List<String> words = new ArrayList<>();
		for (String word : WORD_BOUNDARY.split(name)) {
			if (!word.isEmpty()) {
				words.add(word.toLowerCase(Locale.ROOT));
			}
		}
		return words;
	}

	/**
	 * Return a value as it may be shown: {@link #MASK} when its name looks like that of a
	 * secret, else the value with the secrets it carries masked.
	 * @param name the variable or property name
	 * @param value the value
	 * @return the value as it may be shown
	 */
	public static String mask(String name, String value) {
		return isSensitive(name) ? MASK : maskEmbedded(value);
	}

	/**
	 * Return a value with the secrets it carries in itself masked: the user information of
	 * URIs, the values of {@code name=value} pairs whose name looks like that of a secret;
	 * a value holding a PEM private key is masked whole.
	 * @param value the value
	 * @return the value with its secrets masked
	 */
	public static String maskEmbedded(String value) {
		if (value.contains("PRIVATE KEY")) {
			return MASK;
		}
		return maskNamedValues(maskUserInfo(value));
	}

	private static String maskUserInfo(String value) {
		if (!value.contains("://")) {
			return value;
		}
		Matcher matcher = URI_USER_INFO.matcher(value);
		StringBuilder masked = new StringBuilder(value.length());
		while (matcher.find()) {
			String replacement = matcher.group(2).isEmpty() ? matcher.group() : matcher.group(1) + MASK + "@";
			matcher.appendReplacement(masked, Matcher.quoteReplacement(replacement));
		}
		return matcher.appendTail(masked).toString();
	}

	private static String maskNamedValues(String value) {
		Matcher matcher = NAMED_VALUE.matcher(value);
		StringBuilder masked = null;
		int copied = 0;
		int from = 0;
		while (from < value.length() && matcher.find(from)) {
			String secret = matcher.group(3);
			if (isSensitive(matcher.group(1)) && !isMasked(secret)) {
				if (masked == null) {
					masked = new StringBuilder(value.length());
				}
				char quote = secret.charAt(0);
				boolean quoted = (quote == '"' || quote == '\'') && secret.length() > 1;
				masked.append(value, copied, matcher.start(3)).append(quoted ? quote + MASK + quote : MASK);
				copied = matcher.end(3);
				from = matcher.end(3);
			}
			else {
				// Not a secret: a pair inside its value (a URL's query) may still be one
				from = matcher.end(1);
			}
		}
		return (masked != null) ? masked.append(value, copied, value.length()).toString() : value;
	}

	private static boolean isMasked(String value) {
		return value.contains(MASK);
	}

}
