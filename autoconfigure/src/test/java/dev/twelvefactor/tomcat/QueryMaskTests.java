package dev.twelvefactor.tomcat;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QueryMask}.
 *
 * @author twelvefactor
 */
class QueryMaskTests {

	private final QueryMask mask = new QueryMask(List.of("token", "access_token", "password"));

	@Test
	void valuesOfMaskedParametersAreReplacedInAnyCase() {
		assertThat(this.mask.apply("a=1&TOKEN=abc&b=2&password=x%20y")).isEqualTo("a=1&TOKEN=******&b=2&password=******");
	}

	@Test
	void aQueryWithNothingToMaskIsReturnedAsItIs() {
		String query = "a=1&tokens=2&my_token=3&token";
		assertThat(this.mask.apply(query)).isSameAs(query);
		assertThat(this.mask.apply(null)).isNull();
	}

	@Test
	void emptyValuesAreLeftEmpty() {
		assertThat(this.mask.apply("token=&a=1&password=")).isEqualTo("token=&a=1&password=");
	}

	@Test
	void everyOccurrenceIsMaskedIncludingRepeatsAndTheLast() {
		assertThat(this.mask.apply("token=1&token=2&a=&token=3")).isEqualTo("token=******&token=******&a=&token=******");
	}

	@Test
	void percentEncodedNamesAreMaskedToo() {
		assertThat(this.mask.apply("access%5Ftoken=abc&%70assword=x&%zz=1"))
			.isEqualTo("access%5Ftoken=******&%70assword=******&%zz=1");
	}

	@Test
	void anEqualsSignInAValueStaysInTheMaskedValue() {
		assertThat(this.mask.apply("token=a=b&c=d")).isEqualTo("token=******&c=d");
	}

	@Test
	void noNamesMaskNothing() {
		assertThat(new QueryMask(List.of()).apply("token=abc")).isEqualTo("token=abc");
	}

}
