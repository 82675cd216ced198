package dev.twelvefactor.config;

/**
 * Thrown by a setting's parser when a value is not one it accepts.
 *
 * @author twelvefactor
 */
class InvalidValueException extends IllegalArgumentException {

	private final boolean hideValue;

	InvalidValueException(String reason) {
		this(reason, false);
	}

	InvalidValueException(String reason, boolean hideValue) {
		super(reason);
		this.hideValue = hideValue;
	}

	/**
	 * Return whether the value must not be shown, because it may be secret.
	 * @return whether to hide the value
	 */
	boolean hideValue() {
		return this.hideValue;
	}

}
