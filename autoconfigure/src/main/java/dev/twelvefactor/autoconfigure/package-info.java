/**
 * Auto-configuration of the twelvefactor starter and its configuration properties.
 */
@NullMarked
package dev.twelvefactor.autoconfigure;

import org.jspecify.annotations.NullMarked;
