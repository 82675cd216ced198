/**
 * Reading the starter's settings from the environment: aliases, precedence, validation and the effective configuration with its sources.
 */
@NullMarked
package dev.twelvefactor.config;

import org.jspecify.annotations.NullMarked;
