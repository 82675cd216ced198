package dev.twelvefactor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ForwardedAllowIps}.
 *
 * @author twelvefactor
 */
class ForwardedAllowIpsTests {

	@Test
	void defaultIsGunicornsLoopbackAddresses() {
		assertThat(ForwardedAllowIps.DEFAULT).hasToString("127.0.0.1,::1");
		assertThat(ForwardedAllowIps.DEFAULT.internalProxies()).isEqualTo("127.0.0.1/32, ::1/128");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', value = { "10.0.0.0/8, 192.0.2.7;10.0.0.0/8, 192.0.2.7/32",
			"fd00::/8,2001:db8::7;fd00::/8, 2001:db8::7/128", "0.0.0.0/0;0.0.0.0/0", "::/0;::/0",
			"127.0.0.1,,::1,;127.0.0.1/32, ::1/128" })
	void addressesAndNetworksAreTheValvesInternalProxies(String value, String internalProxies) {
		assertThat(ForwardedAllowIps.valueOf(value).internalProxies()).isEqualTo(internalProxies);
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", "10.0.0.1, *" })
	void anyPeerIsAPatternMatchingEveryChainEntryWithoutLookingItUp(String value) {
		ForwardedAllowIps any = ForwardedAllowIps.valueOf(value);
		assertThat(any.isAny()).isTrue();
		assertThat(any).hasToString("*");
		assertThat(any.internalProxies()).isEqualTo(".*");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "proxy.example.com", "1.2.3", "256.0.0.1", "10.0.0.0/33", "::1/129",
			"10.0.0.0/x", "10.0.0.0/", "fe80::1%eth0", "1:2:3", "", " , " })
	void namesAndMalformedAddressesAreRefused(String value) {
		assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> ForwardedAllowIps.valueOf(value));
	}

	@Test
	void networkWithHostBitsSetIsRefusedNamingTheNetwork() {
		assertThatExceptionOfType(InvalidValueException.class)
			.isThrownBy(() -> ForwardedAllowIps.valueOf("192.168.1.1/24"))
			.withMessageContaining("host bits set")
			.withMessageContaining("192.168.1.0/24");
	}

	@Test
	void forwardedAllowIpsVariableSetsTheSettingAndAnInvalidOneIsReportedByName() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
			.resolve();
		assertThat(configuration.get("forwarded-allow-ips").display()).isEqualTo("10.0.0.0/8");
		assertThat(configuration.get("forwarded-allow-ips").source().name()).isEqualTo("FORWARDED_ALLOW_IPS");
		EffectiveConfiguration invalid = TestEnvironments.create()
			.variable("FORWARDED_ALLOW_IPS", "proxy.internal")
			.resolve();
		assertThat(invalid.invalidValues()).singleElement()
			.satisfies((value) -> assertThat(value.describe()).startsWith("FORWARDED_ALLOW_IPS=\"proxy.internal\""));
	}

}
