package dev.twelvefactor.config;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * How many workers run requests: a fixed number, as Gunicorn's, or {@code auto}, an
 * admission limit that adapts to the load between a floor and a ceiling.
 *
 * @param fixed the fixed number of workers, or {@code null} for {@code auto}
 * @author twelvefactor
 */
public record Workers(@Nullable Integer fixed) {

	/**
	 * Workers that adapt to the load.
	 */
	public static final Workers AUTO = new Workers(null);

	static final int MAX = 10000;

	static final String ACCEPTED = "auto, or a whole number from 1 to " + MAX;

	/**
	 * Return the workers a value, trimmed, stands for.
	 * @param value the value, {@code auto} or a whole number
	 * @return the workers
	 * @throws IllegalArgumentException if the value is neither
	 */
	public static Workers valueOf(String value) {
		if (value.toLowerCase(Locale.ROOT).equals("auto")) {
			return AUTO;
		}
		return new Workers(Values.parseWholeNumber(value, 1, MAX, "workers"));
	}

	/**
	 * Return a fixed number of workers.
	 * @param workers the number
	 * @return the workers
	 */
	public static Workers of(int workers) {
		return new Workers(workers);
	}

	/**
	 * Return whether the admission limit adapts to the load.
	 * @return whether the workers are {@code auto}
	 */
	public boolean isAuto() {
		return this.fixed == null;
	}

	/**
	 * Return the workers as they are written: the number, or {@code "auto"}; what the
	 * actuator's {@code configprops} endpoint shows.
	 * @return the number or {@code "auto"}
	 */
	@JsonValue
	public Object value() {
		return isAuto() ? "auto" : this.fixed;
	}

	@Override
	public String toString() {
		return isAuto() ? "auto" : String.valueOf(this.fixed);
	}

}
