package dev.twelvefactor.config;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.boot.ExitCodeGenerator;

/**
 * Thrown when the application must not start because settings have invalid values.
 *
 * @author twelvefactor
 */
class InvalidConfigurationException extends RuntimeException implements ExitCodeGenerator {

	private final List<InvalidValue> invalidValues;

	/**
	 * Create an exception for the given invalid values.
	 * @param invalidValues the invalid values, at least one
	 */
	InvalidConfigurationException(List<InvalidValue> invalidValues) {
		super("Invalid twelvefactor configuration: "
				+ invalidValues.stream().map(InvalidValue::describe).collect(Collectors.joining("; ")));
		this.invalidValues = List.copyOf(invalidValues);
	}

	/**
	 * Return the invalid values.
	 * @return the invalid values
	 */
	List<InvalidValue> getInvalidValues() {
		return this.invalidValues;
	}

	@Override
	public int getExitCode() {
		return 1;
	}

}
