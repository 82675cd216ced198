/**
 * What the starter applies to the embedded Tomcat.
 */
@NullMarked
package dev.twelvefactor.tomcat;

import org.jspecify.annotations.NullMarked;
