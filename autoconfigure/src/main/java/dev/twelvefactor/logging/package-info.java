/**
 * Log level and log stream routing.
 */
@NullMarked
package dev.twelvefactor.logging;

import org.jspecify.annotations.NullMarked;
