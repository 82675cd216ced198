package dev.twelvefactor.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when the application must not start because settings have invalid values.
 *
 * @author twelvefactor
 */
public class InvalidConfigurationException extends RuntimeException {

	private final List<InvalidValue> invalidValues;

	/**
	 * Create an exception for the given invalid values.
	 * @param invalidValues the invalid values, at least one
	 */
	public InvalidConfigurationException(List<InvalidValue> invalidValues) {
		super("Invalid twelvefactor configuration: "
				+ invalidValues.stream().map(InvalidValue::describe).collect(Collectors.joining("; ")));
		this.invalidValues = List.copyOf(invalidValues);
	}

	/**
	 * Return the invalid values.
	 * @return the invalid values
	 */
	public List<InvalidValue> getInvalidValues() {
		return this.invalidValues;
	}

}
