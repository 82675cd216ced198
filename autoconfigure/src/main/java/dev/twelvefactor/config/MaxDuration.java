package dev.twelvefactor.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Longest value of a duration setting, where it is not {@link Values#MAX_DURATION one day}.
 *
 * @author twelvefactor
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface MaxDuration {

	/**
	 * The longest duration accepted, in days.
	 * @return the maximum in days
	 */
	long days();

}
