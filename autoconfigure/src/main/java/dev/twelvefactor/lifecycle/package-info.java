/**
 * Lifecycle events and the startup report.
 */
@NullMarked
package dev.twelvefactor.lifecycle;

import org.jspecify.annotations.NullMarked;
