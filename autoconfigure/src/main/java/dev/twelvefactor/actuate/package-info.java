/**
 * The {@code twelvefactor} actuator endpoint and the starter's Micrometer meters, used only
 * when the actuator and Micrometer are on the class path.
 */
@NullMarked
package dev.twelvefactor.actuate;

import org.jspecify.annotations.NullMarked;
