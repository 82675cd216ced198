package dev.twelvefactor.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds of a whole-number setting. Its value must be ASCII digits, without sign, between
 * the bounds.
 *
 * @author twelvefactor
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface WholeNumber {

	/**
	 * The smallest value accepted.
	 * @return the minimum
	 */
	int min();

	/**
	 * The largest value accepted.
	 * @return the maximum
	 */
	int max();

}
