package dev.twelvefactor.config;

import java.util.Locale;

import dev.twelvefactor.autoconfigure.TwelveFactorProperties.OnInvalid;

/**
 * Reads the {@code on-invalid} setting.
 *
 * @author twelvefactor
 */
final class OnInvalidParser {

	private OnInvalidParser() {
	}

	static OnInvalid parse(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "fail" -> OnInvalid.FAIL;
			case "default" -> OnInvalid.DEFAULT;
			default -> throw new InvalidValueException("not fail or default");
		};
	}

}
