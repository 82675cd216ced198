package dev.twelvefactor.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a setting that names a PEM file, which must be readable and hold the given
 * content.
 *
 * @author twelvefactor
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface Pem {

	/**
	 * What the file must hold.
	 * @return the content
	 */
	Content value();

	/**
	 * Content of a PEM file.
	 */
	enum Content {

		/**
		 * One or more certificates.
		 */
		CERTIFICATE,

		/**
		 * An unencrypted private key.
		 */
		PRIVATE_KEY

	}

}
