package dev.twelvefactor.config;

/**
 * Thrown by a setting's parser when a value is not one it accepts.
 *
 * @author twelvefactor
 */
class InvalidValueException extends IllegalArgumentException {

	InvalidValueException(String reason) {
		super(reason);
	}

}
